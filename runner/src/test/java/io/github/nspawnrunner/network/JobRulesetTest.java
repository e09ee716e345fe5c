package io.github.nspawnrunner.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nspawnrunner.config.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobRulesetTest {
    private final JobName job = new JobName("nsr-42");
    private final Subnet subnet = new AddressPool(Cidr.parse("10.213.0.0/16")).subnet(1);

    @Test
    void oneTableOfTheJobThatReplacesAnOldOneAtomically() {
        String rules = new JobRuleset(job, subnet, List.of(Cidr.parse("169.254.0.0/16")), Cidr.parse("10.213.0.0/16")).load();
        assertTrue(rules.startsWith("table inet nsr-42\ndelete table inet nsr-42\ntable inet nsr-42 {\n"), rules);
        assertEquals(1, rules.split("table inet nsr-42 \\{").length - 1, "one table, nothing shared: " + rules);
        assertTrue(rules.contains("type filter hook input priority filter; policy accept;\n"
                + "    iifname \"nsr-42\" reject with icmpx admin-prohibited\n"), rules);
        assertTrue(rules.contains("iifname \"nsr-42\" ip saddr != 10.213.0.6 drop\n"), rules);
        assertTrue(rules.contains("iifname \"nsr-42\" ip daddr { 169.254.0.0/16, 10.213.0.0/16 } reject"), rules);
        assertTrue(rules.contains("iifname \"nsr-42\" meta nfproto != ipv4 reject"), rules);
        assertTrue(rules.contains("oifname \"nsr-42\" ct state established,related accept\n    oifname \"nsr-42\" reject with icmpx admin-prohibited\n"), rules);
        assertTrue(rules.contains("oifname != \"nsr-42\" ip saddr 10.213.0.6 masquerade"), rules);
    }

    @Test
    void ipv6DenialsAreLeftToTheNoIpv6RuleAndDuplicatesGo() {
        String rules = new JobRuleset(job, subnet, List.of(Cidr.parse("fd00::/8"), Cidr.parse("10.213.0.0/16")),
                Cidr.parse("10.213.0.0/16")).load();
        assertTrue(rules.contains("ip daddr { 10.213.0.0/16 } reject"), rules);
        assertTrue(!rules.contains("fd00"), rules);
    }

    @Test
    void removingIsHarmlessWhenThereIsNoTable() {
        assertEquals("table inet nsr-42\ndelete table inet nsr-42\n", JobRuleset.remove(job));
    }
}
