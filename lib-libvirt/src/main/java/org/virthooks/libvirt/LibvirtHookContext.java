package org.virthooks.libvirt;

import java.util.Optional;

/**
 * The typed view of one libvirt hook-script call, in {@code HookCall.context()}: read it with
 * {@code call.context(LibvirtHookContext.class)}.
 *
 * @param driver which script was called, empty for a script name libvirt does not use
 * @param script the script's path as called ({@code /etc/libvirt/hooks/qemu.d/50-virthooks})
 * @param object the first argument: the domain or network name, {@code -} for the daemon
 * @param operation the second argument ({@code start}, {@code release}, ...)
 * @param subOperation the third ({@code begin}, {@code end}, {@code -})
 * @param extra the fourth: the release reason, {@code SIGHUP}, {@code -}
 * @param domain the parsed domain XML (guest drivers), when stdin held a readable one
 * @param network the parsed {@code <hookData>} (network driver), when readable
 * @param parseError why stdin could not be read, when it could not; hooks still get the raw
 *     document and decide for themselves
 */
public record LibvirtHookContext(Optional<HookDriver> driver, String script, String object,
    String operation, String subOperation, String extra, Optional<DomainDescription> domain,
    Optional<NetworkHookData> network, Optional<String> parseError) {

  /** The extra argument unless it is {@code -}. */
  public Optional<String> extraValue() {
    return extra.equals("-") ? Optional.empty() : Optional.of(extra);
  }
}
