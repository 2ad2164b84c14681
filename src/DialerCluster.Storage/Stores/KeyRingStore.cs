using System.Data.Common;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Storage;

/// <summary>
/// The Data Protection key ring in data_protection_keys. Synchronous ADO.NET on a connection of its own (see
/// <see cref="IKeyRingStore"/>): the same SQL on both engines, only the way to open a connection differs.
/// </summary>
internal sealed class KeyRingStore(Func<DbConnection> open) : IKeyRingStore
{
    public IReadOnlyList<string> ReadAll()
    {
        using var connection = open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT xml FROM data_protection_keys ORDER BY created_at, name";
        using var reader = command.ExecuteReader();
        var elements = new List<string>();
        while (reader.Read())
        {
            elements.Add(reader.GetString(0));
        }

        return elements;
    }

    public void Add(string name, string xml)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(xml);
        using var connection = open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO data_protection_keys (name, xml) VALUES (@name, @xml) ON CONFLICT (name) DO NOTHING";
        SqlDialect.AddText(command, "@name", name);
        SqlDialect.AddText(command, "@xml", xml);
        command.ExecuteNonQuery();
    }
}
