package org.virthooks.libvirt.domain;

import org.libvirt.Error;

/**
 * A libvirt call of the domain API failed: libvirt's error code, error domain (the part of
 * libvirt that reported it) and message, and the call that failed. Every failure of a libvirt
 * call in {@link LibvirtDomains} and {@link LibvirtDomain} is one of these; libvirt-java's
 * {@code LibvirtException} never leaves them.
 */
public final class LibvirtDomainException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** VIR_ERR_NO_SUPPORT: the driver does not support the call. */
  public static final int NO_SUPPORT = 3;
  /** VIR_ERR_INVALID_ARG: an invalid argument. */
  public static final int INVALID_ARG = 8;
  /** VIR_ERR_OPERATION_FAILED: the hypervisor failed the command. */
  public static final int OPERATION_FAILED = 9;
  /** VIR_ERR_NO_DOMAIN: no such domain. */
  public static final int NO_DOMAIN = 42;
  /** VIR_ERR_OPERATION_INVALID: not valid in the domain's current state. */
  public static final int OPERATION_INVALID = 55;
  /** VIR_ERR_ARGUMENT_UNSUPPORTED: a valid argument the driver does not support. */
  public static final int ARGUMENT_UNSUPPORTED = 74;
  /** VIR_ERR_NO_DOMAIN_METADATA: the metadata element is not there. */
  public static final int NO_DOMAIN_METADATA = 80;
  /** VIR_ERR_OPERATION_UNSUPPORTED: the operation is not supported. */
  public static final int OPERATION_UNSUPPORTED = 84;

  private final String operation;
  private final int code;
  private final int errorDomain;
  private final String libvirtMessage;

  /**
   * An error as libvirt reported it.
   *
   * @param operation the call that failed, such as {@code virDomainSuspend(vh-1)}
   * @param code libvirt's error code (virErrorNumber)
   * @param errorDomain libvirt's error domain (virErrorDomain)
   * @param libvirtMessage libvirt's message
   */
  public LibvirtDomainException(String operation, int code, int errorDomain,
      String libvirtMessage) {
    super(operation + " failed: " + libvirtMessage + " (" + codeName(code) + ", "
        + domainName(errorDomain) + ")");
    this.operation = operation;
    this.code = code;
    this.errorDomain = errorDomain;
    this.libvirtMessage = libvirtMessage;
  }

  /**
   * libvirt-java's exception as ours; its code and domain are libvirt's numbers, -1 for one
   * libvirt-java clamped to its UNKNOWN (newer than libvirt-java).
   */
  static LibvirtDomainException of(String operation, org.libvirt.LibvirtException e) {
    Error err = e.getError();
    LibvirtDomainException x = err == null
        ? new LibvirtDomainException(operation, -1, -1, String.valueOf(e.getMessage()))
        : new LibvirtDomainException(operation,
            err.getCode() == Error.ErrorNumber.VIR_ERR_UNKNOWN ? -1 : err.getCode().ordinal(),
            err.getDomain() == Error.ErrorDomain.VIR_FROM_UNKNOWN ? -1
                : err.getDomain().ordinal(), String.valueOf(err.getMessage()));
    x.initCause(e);
    return x;
  }

  /** The call that failed, with the domain it was made on when there is one. */
  public String operation() {
    return operation;
  }

  /** libvirt's error code (virErrorNumber), -1 when libvirt gave none. */
  public int code() {
    return code;
  }

  /** The name of the code, such as {@code VIR_ERR_NO_DOMAIN}. */
  public String codeName() {
    return codeName(code);
  }

  /** libvirt's error domain (virErrorDomain), -1 when libvirt gave none. */
  public int errorDomain() {
    return errorDomain;
  }

  /** The name of the error domain, such as {@code VIR_FROM_QEMU}. */
  public String errorDomainName() {
    return domainName(errorDomain);
  }

  /** libvirt's own message. */
  public String libvirtMessage() {
    return libvirtMessage;
  }

  /** True when the domain does not exist (VIR_ERR_NO_DOMAIN). */
  public boolean isNoDomain() {
    return code == NO_DOMAIN;
  }

  /** True when the driver or hypervisor does not support the call (NO_SUPPORT, OPERATION_UNSUPPORTED, ARGUMENT_UNSUPPORTED). */
  public boolean isUnsupported() {
    return code == NO_SUPPORT || code == OPERATION_UNSUPPORTED || code == ARGUMENT_UNSUPPORTED;
  }

  // libvirt-java 0.5.4's enums list libvirt's numbers in order (checked against virterror.h of
  // libvirt 9.0: VIR_ERR_MULTIPLE_DOMAINS = 110 and VIR_FROM_CH = 72 are their last), so an
  // ordinal is the number and the name is libvirt's
  private static String codeName(int code) {
    Error.ErrorNumber[] all = Error.ErrorNumber.values();
    return code >= 0 && code < all.length - 1 ? all[code].name() : "VIR_ERR_" + code;
  }

  private static String domainName(int domain) {
    Error.ErrorDomain[] all = Error.ErrorDomain.values();
    return domain >= 0 && domain < all.length - 1 ? all[domain].name() : "VIR_FROM_" + domain;
  }
}
