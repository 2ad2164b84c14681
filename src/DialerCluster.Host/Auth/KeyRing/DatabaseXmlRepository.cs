using System.Xml.Linq;
using DialerCluster.Dialing.Stores;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace DialerCluster.Host.Auth.KeyRing;

/// <summary>
/// The Data Protection key ring in the database (issue 12.2): every node on one database seals and opens session
/// cookies and bearer tokens with the same keys, so a token issued by one node opens on all the others and after a
/// restart. Keys are stored as Data Protection writes them (not encrypted at rest, as they were in the data folder
/// before): whoever can read the database can forge sessions, so guard it like the passwords it also holds.
/// </summary>
internal sealed class DatabaseXmlRepository(IKeyRingStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => store.ReadAll().Select(xml => XElement.Parse(xml)).ToArray();

    public void StoreElement(XElement element, string friendlyName) =>
        store.Add(string.IsNullOrWhiteSpace(friendlyName) ? "key-" + Guid.NewGuid().ToString("N") : friendlyName, element.ToString(SaveOptions.DisableFormatting));
}
