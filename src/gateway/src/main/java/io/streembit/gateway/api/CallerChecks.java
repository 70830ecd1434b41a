package io.streembit.gateway.api;

import io.streembit.gateway.commands.CommandRefused;
import io.streembit.gateway.commands.CommandStore;
import io.streembit.gateway.security.Caller;

/** The authenticated caller of a request, and its device allow-list applied to the API's answers. */
final class CallerChecks {
    private CallerChecks() {}

    /** Refuses (403) a device outside the caller's allow-list. */
    static void requireAccess(Caller caller, CommandStore.Target device) throws CommandRefused {
        if (!caller.mayAccess(device.id(), device.labelMap())) {
            throw new CommandRefused(
                    CommandRefused.Reason.NOT_ALLOWED, caller.name() + " may not see device " + device.id());
        }
    }
}
