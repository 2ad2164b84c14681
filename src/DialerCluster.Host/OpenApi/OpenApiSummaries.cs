using System.Collections.Frozen;

namespace DialerCluster.Host.OpenApi;

/// <summary>One line per operation, by the endpoint's name, for endpoints that do not carry a summary of their own.</summary>
internal static class OpenApiSummaries
{
    public static readonly FrozenDictionary<string, string> ByOperation = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["SignInWithCookie"] = "Sign in for the pages: sets the session cookie.",
        ["SignInForToken"] = "Sign in for an API client: a bearer access token and a refresh token.",
        ["RefreshToken"] = "Trade a refresh token for new tokens; the old refresh token stops working.",
        ["SignOut"] = "End the caller's session (cookie or bearer) on every node.",
        ["Me"] = "The signed-in user, its agent and campaigns.",
        ["ListUsers"] = "Every user with role, agent, and whether disabled or locked.",
        ["CreateUser"] = "Create a user, optionally with a new agent record to act as.",
        ["ChangeUser"] = "Change a user's role or agent link, or disable or enable it; its sessions end.",
        ["SetUserPassword"] = "Set a new password; the user's sessions end and a lockout lifts.",
        ["DeleteUser"] = "Delete a user; its sessions end.",
        ["AuditLog"] = "Recent audit entries: who did what to whom, and when.",
        ["CreateCampaign"] = "Create a campaign with its dialing mode, calling hours and retry settings.",
        ["ListCampaigns"] = "Every campaign with its queue counts on this node.",
        ["GetCampaign"] = "One campaign: settings, queue by funnel stage, assigned agents.",
        ["ChangeCampaign"] = "Change a campaign's settings (optionally only at a known version).",
        ["AssignAgent"] = "Assign an agent to a campaign.",
        ["UnassignAgent"] = "Take an agent off a campaign.",
        ["CreateCases"] = "Create cases in a campaign from a contact group, contact ids or one typed-in contact.",
        ["ListCases"] = "A campaign's cases by funnel stage, owner and period, a page at a time.",
        ["GetCase"] = "One case with its contact and activity history.",
        ["ChangeCase"] = "Save a case card: status, form fields, note, callback, priority or owner.",
        ["CreateAgent"] = "Create an agent record.",
        ["ListAgents"] = "Every agent (the dialer's own lines left out).",
        ["GetAgent"] = "One agent with its status and what it is working on.",
        ["SetAgentStatus"] = "Set an agent's status: ready, break (with a reason), offline ...",
        ["NextCase"] = "The best case for this agent now; in dialing modes, waits for a dialed and answered lead.",
        ["CompleteCase"] = "Finish the held case with a call outcome; retries are scheduled.",
        ["Reminders"] = "The agent's booked callbacks, earliest first.",
        ["ImportContacts"] = "Import a .csv or .xlsx file as a named contact group; bad rows are listed.",
        ["ListDoNotCall"] = "The do-not-call list.",
        ["AddDoNotCall"] = "Put a number on the do-not-call list.",
        ["RemoveDoNotCall"] = "Take a number off the do-not-call list.",
        ["Monitor"] = "The live wall: agents, campaigns and imports now.",
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
