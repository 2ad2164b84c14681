using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Routing;
using FsCheck;
using FsCheck.Fluent;

namespace DialerCluster.Dialing.Tests.Routing;

/// <summary>
/// Random campaigns and random operation sequences, run against the fast <see cref="CampaignQueue"/> and a
/// plain model that answers every Next case with a brute-force <see cref="NextCasePolicy.PickBest"/> scan.
/// </summary>
public sealed class CampaignQueuePropertyTests
{
    private static readonly DateTimeOffset Midnight = new(2025, 3, 10, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Agents = ["a0", "a1", "a2", "a3", "a4"];

    // Zones chosen so that, over a day, each is open while others are closed.
    private static readonly TimeZoneInfo[] Zones =
    [
        TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"),
        TimeZoneInfo.FindSystemTimeZoneById("Europe/London"),
        TimeZoneInfo.FindSystemTimeZoneById("America/New_York"),
        TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"),
        TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata"),
    ];

    private static readonly CampaignSettings Settings = new()
    {
        Name = "property",
        MaxAttempts = 3,
        OwnerFallback = TimeSpan.FromMinutes(30),
        HoldTimeout = TimeSpan.FromMinutes(20),
        RetryDelays = new RetryDelays(TimeSpan.FromMinutes(40), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(90), TimeSpan.FromMinutes(15)),
    };

    /// <summary>Nine small numbers a case is built from; small ranges make ties and shared phones common.</summary>
    public sealed record CaseSpec(int Zone, int Age, int Priority, int Owner, int Callback, int Retry, int Attempts, int Status, int Phone);

    public sealed record Op(int Kind, int A, int B, int C);

    public sealed record Scenario(CaseSpec[] Cases, Op[] Ops, int StartMinute);

    private static readonly Gen<CaseSpec> CaseSpecs =
        from zone in Gen.Choose(0, Zones.Length - 1)
        from age in Gen.Choose(0, 12)
        from priority in Gen.Choose(0, 2)
        from owner in Gen.Choose(-4, Agents.Length - 1)
        from callback in Gen.Choose(-200, 200)
        from retry in Gen.Choose(-100, 100)
        from attempts in Gen.Choose(0, 3)
        from status in Gen.Choose(0, 9)
        from phone in Gen.Choose(0, 14)
        select new CaseSpec(zone, age, priority, owner, callback, retry, attempts, status, phone);

    private static readonly Gen<Op> Ops =
        from kind in Gen.Choose(0, 12)
        from a in Gen.Choose(0, 1000)
        from b in Gen.Choose(0, 1000)
        from c in Gen.Choose(0, 1000)
        select new Op(kind, a, b, c);

    private static readonly Gen<Scenario> Scenarios =
        from cases in CaseSpecs.ArrayOf()
        from ops in Ops.ArrayOf()
        from start in Gen.Choose(0, (24 * 60) - 1)
        select new Scenario(cases, ops, start);

    [Fact]
    public void Queue_always_answers_like_a_brute_force_scan_of_the_policy()
    {
        var property = Prop.ForAll(Arb.From(Scenarios), scenario => new Simulation(scenario).Run());

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(400).WithEndSize(60), property);
    }

    [Fact]
    public void Busy_campaigns_with_many_operations_stay_in_step()
    {
        var big =
            from cases in Gen.ArrayOf(CaseSpecs, Gen.Choose(80, 200).Sample(1)[0])
            from ops in Gen.ArrayOf(Ops, 400)
            from start in Gen.Choose(0, (24 * 60) - 1)
            select new Scenario(cases, ops, start);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), Prop.ForAll(Arb.From(big), s => new Simulation(s).Run()));
    }

    private sealed class Simulation
    {
        private readonly Scenario _scenario;
        private readonly CampaignQueue _queue = new();
        private readonly SortedDictionary<long, CaseCandidate> _cases = [];
        private readonly Dictionary<string, (long CaseId, DateTimeOffset ExpiresAt)> _holds = [];
        private readonly OwnerPresenceTable _owners = new();
        private readonly HashSet<string> _away = [];
        private readonly DoNotCallSet _doNotCall = new();
        private readonly NextCaseContext _context;
        private DateTimeOffset _now;
        private long _nextId = 1;
        private int _step;

        public Simulation(Scenario scenario)
        {
            _scenario = scenario;
            _context = new NextCaseContext(Settings, _owners, _doNotCall);
            _now = Midnight.AddMinutes(scenario.StartMinute);
        }

        public bool Run()
        {
            foreach (var spec in _scenario.Cases)
            {
                AddCase(spec);
            }

            foreach (var op in _scenario.Ops)
            {
                _step++;
                Apply(op);
                CheckInvariants();
            }

            return true;
        }

        private void Apply(Op op)
        {
            switch (op.Kind)
            {
                case <= 3:
                    Take(Agents[op.A % Agents.Length]);
                    break;
                case 4:
                    Complete(Agents[op.A % Agents.Length], (CallOutcome)(op.B % 6), op.C);
                    break;
                case 5:
                    _now = _now.AddMinutes(op.A % 90);
                    break;
                case 6:
                    UpdateCase(op);
                    break;
                case 7:
                    AddCase(new CaseSpec(op.A % 5, op.B % 12, op.C % 3, (op.A % 9) - 4, (op.B % 400) - 200, (op.C % 200) - 100, op.A % 4, op.B % 10, op.C % 15));
                    break;
                case 8:
                    RemoveCase(op.A);
                    break;
                case 9:
                    ToggleDoNotCall(Phone(op.A % 15));
                    break;
                case 10:
                    TogglePresence(Agents[op.A % Agents.Length], op.B % 90);
                    break;
                case 11:
                    ExpireHolds();
                    break;
                default:
                    _now = _now.AddMinutes(op.A % 7);
                    Take(Agents[op.B % Agents.Length]);
                    break;
            }
        }

        private void Take(string agent)
        {
            long? expected;
            if (_holds.TryGetValue(agent, out var hold))
            {
                expected = hold.CaseId;
            }
            else
            {
                var snapshots = _cases.Values.Select(c => HolderOf(c.CaseId) is { } h ? c with { HolderAgentId = h } : c).ToArray();
                expected = NextCasePolicy.PickBest(snapshots, agent, _now, _context)?.CaseId;
            }

            var taken = _queue.TryTake(agent, _now, _context, out var candidate);

            Require(taken == expected is not null, $"{agent} TryTake returned {taken}, model expected {expected?.ToString() ?? "nothing"}");
            Require(candidate?.CaseId == expected, $"{agent} got case {candidate?.CaseId}, brute force says {expected}");
            if (candidate is null || _holds.ContainsKey(agent))
            {
                return;
            }

            Require(HolderOf(candidate.CaseId) is null, $"case {candidate.CaseId} handed to {agent} while held by {HolderOf(candidate.CaseId)}");
            var exclusion = NextCasePolicy.Exclusion(_cases[candidate.CaseId], agent, _now, _context);
            Require(exclusion == NextCaseExclusion.None, $"case {candidate.CaseId} handed out despite {exclusion}");
            _holds[agent] = (candidate.CaseId, _now + Settings.HoldTimeout);
        }

        private void Complete(string agent, CallOutcome outcome, int c)
        {
            if (!_holds.TryGetValue(agent, out var hold))
            {
                var any = _cases.Keys.FirstOrDefault();
                Require(!_queue.Release(agent, any), $"{agent} released case {any} it does not hold");
                return;
            }

            var current = _cases[hold.CaseId];
            var attempts = current.Attempts + 1;
            var updated = current with { Attempts = attempts };
            var decision = RetryPolicy.Next(outcome, attempts, Settings, _now, followUpDecided: outcome == CallOutcome.Talked);
            if (decision.Kind == RetryDecisionKind.RetryAt)
            {
                updated = updated with { NextEligibleAt = decision.NotBefore };
            }
            else if (decision.Kind == RetryDecisionKind.NoRetry)
            {
                updated = (c % 3) switch
                {
                    0 => updated with { Status = CaseStatus.Won, CallbackDueAt = null },
                    1 => updated with { Status = CaseStatus.InAcquisition, CallbackDueAt = _now.AddMinutes(c % 240) },
                    _ => updated with { Status = CaseStatus.Offered, CallbackDueAt = _now.AddMinutes(-(c % 30)) },
                };
            }

            Require(_queue.Release(agent, updated), $"{agent} could not release case {hold.CaseId} it holds");
            _cases[hold.CaseId] = updated;
            _holds.Remove(agent);
        }

        private void UpdateCase(Op op)
        {
            if (_cases.Count == 0)
            {
                Require(!_queue.Update(Build(new CaseSpec(0, 0, 0, 0, 0, 0, 0, 0, 0), 999_999)), "updated a missing case");
                return;
            }

            var current = _cases.Values.ElementAt(op.A % _cases.Count);
            var c = op.C;
            var updated = (op.B % 7) switch
            {
                0 => current with { Priority = (CasePriority)(c % 3) },
                1 => current with { OwnerAgentId = c % 6 == 5 ? null : Agents[c % 5] },
                2 => current with { CallbackDueAt = c % 4 == 0 ? null : _now.AddMinutes((c % 300) - 100) },
                3 => current with { Attempts = c % 4 },
                4 => current with { Status = StatusOf(c % 10) },
                5 => current with { TimeZone = Zones[c % Zones.Length] },
                _ => current with { NextEligibleAt = c % 3 == 0 ? null : _now.AddMinutes((c % 100) - 50) },
            };

            Require(_queue.Update(updated), $"could not update case {current.CaseId}");
            _cases[current.CaseId] = updated;
        }

        private void AddCase(CaseSpec spec)
        {
            var candidate = Build(spec, _nextId++);
            _queue.Add(candidate);
            _cases.Add(candidate.CaseId, candidate);
        }

        private CaseCandidate Build(CaseSpec spec, long id) =>
            new(id, Phone(spec.Phone), Zones[spec.Zone], Midnight.AddHours(-spec.Age))
            {
                Priority = (CasePriority)spec.Priority,
                OwnerAgentId = spec.Owner < 0 ? null : Agents[spec.Owner],
                CallbackDueAt = spec.Callback % 3 == 0 ? null : _now.AddMinutes(spec.Callback),
                NextEligibleAt = spec.Retry % 4 == 0 ? _now.AddMinutes(spec.Retry) : null,
                Attempts = spec.Attempts,
                Status = StatusOf(spec.Status),
            };

        private void RemoveCase(int a)
        {
            if (_cases.Count == 0)
            {
                Require(!_queue.Remove(12345), "removed a missing case");
                return;
            }

            var id = _cases.Keys.ElementAt(a % _cases.Count);
            Require(_queue.Remove(id), $"could not remove case {id}");
            _cases.Remove(id);
            if (HolderOf(id) is { } holder)
            {
                _holds.Remove(holder);
            }
        }

        private void ToggleDoNotCall(string phone)
        {
            if (!_doNotCall.Add(phone))
            {
                _doNotCall.Remove(phone);
                _queue.RequeueParked();
            }
        }

        private void TogglePresence(string agent, int awayMinutes)
        {
            if (_away.Remove(agent))
            {
                _owners.MarkPresent(agent);
            }
            else
            {
                _away.Add(agent);
                _owners.MarkAway(agent, _now.AddMinutes(-awayMinutes));
            }
        }

        private void ExpireHolds()
        {
            var expected = _holds.Where(h => h.Value.ExpiresAt <= _now).Select(h => (h.Value.CaseId, h.Key)).ToHashSet();

            var expired = _queue.ExpireHolds(_now).Select(h => (h.CaseId, h.AgentId)).ToHashSet();

            Require(expected.SetEquals(expired), $"expired holds {string.Join(",", expired)}, model {string.Join(",", expected)}");
            foreach (var (_, agent) in expected)
            {
                _holds.Remove(agent);
            }
        }

        private void CheckInvariants()
        {
            var heldCases = new HashSet<long>();
            foreach (var agent in Agents)
            {
                _queue.TryGetHeld(agent, out var held);
                var modelHeld = _holds.TryGetValue(agent, out var hold) ? hold.CaseId : (long?)null;
                Require(held?.CaseId == modelHeld, $"{agent} holds {held?.CaseId} in the queue, {modelHeld} in the model");
                Require(held is null || heldCases.Add(held.CaseId), $"case {held?.CaseId} held by two agents");
                Require(held is null || _queue.HolderOf(held.CaseId) == agent, $"case {held?.CaseId} holder disagrees");
            }

            var counts = _queue.Counts;
            Require(counts.Total == _cases.Count, $"total {counts.Total}, model {_cases.Count}");
            Require(counts.Held == _holds.Count, $"held {counts.Held}, model {_holds.Count}");
            Require(
                counts.Ready + counts.Pending + counts.Held + counts.Parked + counts.Closed == counts.Total,
                $"places do not add up: {counts}");
            foreach (var status in Enum.GetValues<CaseStatus>())
            {
                var expected = _cases.Values.Count(c => c.Status == status);
                Require(counts.OfStatus(status) == expected, $"{status}: {counts.OfStatus(status)}, model {expected}");
            }
        }

        private string? HolderOf(long caseId)
        {
            foreach (var (agent, hold) in _holds)
            {
                if (hold.CaseId == caseId)
                {
                    return agent;
                }
            }

            return null;
        }

        private void Require(bool condition, string message)
        {
            if (!condition)
            {
                throw new InvalidOperationException($"step {_step} at {_now:yyyy-MM-dd HH:mm}Z: {message}");
            }
        }

        private static string Phone(int n) => $"+44700900{n:D3}";

        private static CaseStatus StatusOf(int n) => n switch
        {
            <= 5 => CaseStatus.New,
            6 => CaseStatus.InAcquisition,
            7 => CaseStatus.Offered,
            8 => CaseStatus.Won,
            _ => CaseStatus.Resigned,
        };
    }
}
