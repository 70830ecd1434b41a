package io.streembit.gateway.commands;

import io.streembit.device.Things;
import io.streembit.protocol.ProtocolException;
import io.streembit.protocol.td.ThingDescription;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThingDescriptionsTest {
    private final ThingDescriptions tds = new ThingDescriptions();
    private final String thermostat =
            Things.forDevice("thermostat", "a".repeat(40)).json().toString();
    private final String lock =
            Things.forDevice("door-lock", "a".repeat(40)).json().toString();

    @Test
    void parsesATdOnceWhileItsTextStaysTheSame() throws Exception {
        ThingDescription first = tds.of("a", thermostat);
        assertThat(tds.of("a", new String(thermostat))).isSameAs(first);
        assertThat(first.action("setTargetTemperature")).isPresent();
    }

    @Test
    void parsesAgainWhenTheDeviceWasRegisteredWithAnotherTd() throws Exception {
        ThingDescription first = tds.of("a", thermostat);
        ThingDescription second = tds.of("a", lock);
        assertThat(second).isNotSameAs(first);
        assertThat(second.action("setTargetTemperature")).isEmpty();
        assertThat(tds.of("b", thermostat)).isNotSameAs(first);
    }

    @Test
    void keepsAtMostItsCapacity() throws Exception {
        ThingDescription first = tds.of("device-0", thermostat);
        for (int i = 1; i <= ThingDescriptions.CAPACITY; i++) {
            tds.of("device-" + i, thermostat);
        }
        assertThat(tds.of("device-0", thermostat)).isNotSameAs(first);
    }

    @Test
    void anUnreadableTdIsRefusedAndNotKept() {
        assertThatThrownBy(() -> tds.of("a", "{")).isInstanceOf(ProtocolException.class);
    }
}
