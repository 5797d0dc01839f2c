using LaBreaSharp.Core.Addressing;
using LaBreaSharp.Core.Tarpit.Behaviours;

namespace LaBreaSharp.Core.Tests.Tarpit.Behaviours;

public class PortMapTests
{
    [Fact]
    public void Labrea_options_map_onto_ports()
    {
        var map = PortMap.Classic(TcpBehaviour.Persist, PortSet.Parse("22,80-90"), PortSet.Parse("85"), firewall: false);
        Assert.Equal(TcpBehaviour.Persist, map.BehaviourOf(22));
        Assert.Equal(TcpBehaviour.Persist, map.BehaviourOf(80));
        Assert.Equal(TcpBehaviour.Persist, map.BehaviourOf(90));
        Assert.Equal(TcpBehaviour.ClosedPort, map.BehaviourOf(85));   // --exclude-ports wins over --ports
        Assert.Equal(TcpBehaviour.ClosedPort, map.BehaviourOf(23));   // not in --ports
        Assert.Equal(TcpBehaviour.ClosedPort, map.BehaviourOf(65535));

        var firewalled = PortMap.Classic(TcpBehaviour.Tarpit, PortSet.All, PortSet.Parse("3389"), firewall: true);
        Assert.Equal(TcpBehaviour.Tarpit, firewalled.BehaviourOf(22));
        Assert.Equal(TcpBehaviour.Ignore, firewalled.BehaviourOf(3389)); // -f: nothing for what is not tarpitted
    }

    [Fact]
    public void The_host_map_answers_only_its_ports()
    {
        var map = PortMap.ForHost(TcpBehaviour.Persist, PortSet.Parse("2222,2323-2325"));
        Assert.True(map.Answers);
        Assert.Equal(TcpBehaviour.Persist, map.BehaviourOf(2324));
        Assert.Equal(TcpBehaviour.Ignore, map.BehaviourOf(22));
        Assert.Equal([((ushort)2222, (ushort)2222), ((ushort)2323, (ushort)2325)], map.AnsweredRanges().ToArray());
        Assert.False(PortMap.Uniform(TcpBehaviour.Ignore).Answers);
        Assert.False(PortMap.ForHost(TcpBehaviour.Persist, PortSet.None).Answers); // no --host-ports: nothing to answer
        Assert.Empty(PortMap.Uniform(TcpBehaviour.Ignore).AnsweredRanges());
    }

    [Fact]
    public void Later_rules_win_and_equal_policies_share_a_slot()
    {
        var persist = new PortPolicy(TcpBehaviour.Persist);
        var map = PortMap.Build(new PortPolicy(TcpBehaviour.ClosedPort),
            [(PortSet.Parse("1-100"), persist), (PortSet.Parse("50"), new PortPolicy(TcpBehaviour.Tarpit)), (PortSet.Parse("60"), persist)]);
        Assert.Equal(TcpBehaviour.Persist, map[49].Behaviour);
        Assert.Equal(TcpBehaviour.Tarpit, map[50].Behaviour);
        Assert.Equal(TcpBehaviour.Persist, map[60].Behaviour);
        Assert.Equal(TcpBehaviour.ClosedPort, map[101].Behaviour);
        Assert.Equal(TcpBehaviour.ClosedPort, map[0].Behaviour);
    }
}
