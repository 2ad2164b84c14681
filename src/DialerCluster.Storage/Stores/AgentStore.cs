using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Storage;

internal sealed class AgentStore(SqlDialect dialect) : IAgentStore
{
    public async Task<AgentRecord> CreateAsync(string name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("name: is required.", nameof(name));
        }

        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection, null, "INSERT INTO agents (name, created_at) VALUES (@name, @at) RETURNING id, name, created_at");
        SqlDialect.AddText(command, "@name", name.Trim());
        dialect.AddInstant(command, "@at", DateTimeOffset.UtcNow);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new AgentRecord(reader.GetInt64(0), reader.GetString(1), dialect.GetInstant(reader, 2));
    }

    public async Task<AgentRecord?> GetAsync(long agentId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, "SELECT id, name, created_at FROM agents WHERE id = @id");
        SqlDialect.AddLong(command, "@id", agentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new AgentRecord(reader.GetInt64(0), reader.GetString(1), dialect.GetInstant(reader, 2))
            : null;
    }

    public async Task<IReadOnlyList<AgentRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, "SELECT id, name, created_at FROM agents ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var agents = new List<AgentRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            agents.Add(new AgentRecord(reader.GetInt64(0), reader.GetString(1), dialect.GetInstant(reader, 2)));
        }

        return agents;
    }

    public async Task AppendStateAsync(long agentId, AgentPresence presence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presence);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);

        // The state this one follows ends now: the reports sum time in state without a window over the log.
        await using (var end = dialect.Command(
            connection, transaction, "UPDATE agent_state_log SET ended_at = @at WHERE agent_id = @agent AND ended_at IS NULL AND at <= @at"))
        {
            SqlDialect.AddLong(end, "@agent", agentId);
            dialect.AddInstant(end, "@at", presence.Since);
            await end.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = dialect.Command(
            connection, transaction, "INSERT INTO agent_state_log (agent_id, state, reason, at) VALUES (@agent, @state, @reason, @at)");
        SqlDialect.AddLong(command, "@agent", agentId);
        SqlDialect.AddText(command, "@state", presence.State.ToWire());
        SqlDialect.AddText(command, "@reason", presence.Reason);
        dialect.AddInstant(command, "@at", presence.Since);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (System.Data.Common.DbException ex) when (dialect.Violation(ex)?.Kind == ViolationKind.ForeignKey)
        {
            throw new ArgumentException($"agentId {agentId}: no such agent.", nameof(agentId), ex);
        }
    }

    public async Task<AgentPresence?> LastStateAsync(long agentId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection, null, "SELECT state, at, reason FROM agent_state_log WHERE agent_id = @agent ORDER BY at DESC, id DESC LIMIT 1");
        SqlDialect.AddLong(command, "@agent", agentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var wire = reader.GetString(0);
        return AgentStateWire.TryParse(wire, out var state)
            ? new AgentPresence(state, dialect.GetInstant(reader, 1), SqlDialect.GetTextOrNull(reader, 2))
            : throw new InvalidDataException($"agent_state_log.state '{wire}' is not an agent state.");
    }
}
