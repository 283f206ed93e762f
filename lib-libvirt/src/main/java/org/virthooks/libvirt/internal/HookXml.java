package org.virthooks.libvirt.internal;

import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.virthooks.core.DomainRef;
import org.virthooks.core.hook.DocumentLimit;
import org.virthooks.core.internal.xml.HardenedXml;
import org.virthooks.core.internal.xml.JaxbBinding;
import org.virthooks.core.internal.xml.XmlLimits;
import org.virthooks.core.internal.xml.XmlTooLargeException;
import org.virthooks.libvirt.DomainDescription;
import org.virthooks.libvirt.NetworkHookData;

/**
 * Reads the documents libvirt hands hook scripts with Jakarta XML Binding, through lib-core's
 * {@link HardenedXml} (no DTD, no entities, XML 1.0 only, {@link #LIMITS}) and
 * {@link JaxbBinding}. Only the parts hooks need are mapped; everything else is ignored (the raw
 * document is still passed on).
 */
public final class HookXml {
  /**
   * Documents of more characters are refused as {@link BadXml#tooLarge()}: DocumentLimit's bytes
   * counted as characters, since UTF-8 input decodes to at most one character per byte. Any
   * document within the limit in bytes is read; any document refused here is over it in bytes.
   */
  public static final int MAX_CHARS = DocumentLimit.MAX_BYTES;
  /**
   * {@link #MAX_CHARS}; depth 256, because a disk's {@code <backingStore>} nests one level per
   * image of its chain, and libvirt allows chains of up to 200 images (libxml2, which libvirt
   * reads its own XML with, stops at 256 too); 64 attributes, namespace declarations included
   * (libvirt's busiest elements, a disk's {@code <driver>}, have about 15).
   */
  public static final XmlLimits LIMITS = new XmlLimits(MAX_CHARS, 256, 64);
  private static final HardenedXml READER = HardenedXml.namespaceAware(LIMITS);
  // the context is made on first use: it costs a few hundred ms, which daemon hooks never pay
  private static final JaxbBinding BINDING = new JaxbBinding(XDomain.class, XHookData.class);

  private HookXml() {}

  /** A document that could not be read, with a one-line reason. */
  public static final class BadXml extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean tooLarge;

    BadXml(String message, Throwable cause) {
      this(message, cause, false);
    }

    private BadXml(String message, Throwable cause, boolean tooLarge) {
      super(message, cause);
      this.tooLarge = tooLarge;
    }

    /**
     * True when the document was not read because it is over the size limit: unlike a malformed
     * one, nobody can have looked at it, and before and filter points refuse it.
     */
    public boolean tooLarge() {
      return tooLarge;
    }
  }

  private static Object unmarshal(String xml, DescriptionCapture[] capture) throws BadXml {
    XMLStreamReader r = null;
    try {
      r = READER.open(xml);
      if (capture != null) {
        capture[0] = new DescriptionCapture(r, xml);
        r = capture[0];
      }
      return BINDING.unmarshal(r);
    } catch (XmlTooLargeException e) {
      // its size in bytes is unknown here, only that it is over
      throw new BadXml(DocumentLimit.overLimit(-1), e, true);
    } catch (JAXBException e) {
      Throwable c = e.getLinkedException() != null ? e.getLinkedException() : e.getCause();
      String m = c != null && c.getMessage() != null ? c.getMessage() : String.valueOf(e.getMessage());
      throw new BadXml("malformed XML: " + oneLine(m), e);
    } catch (XMLStreamException e) {
      throw new BadXml("malformed XML: " + oneLine(String.valueOf(e.getMessage())), e);
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // a reader over a string holds nothing to free
        }
      }
    }
  }

  private static String oneLine(String message) {
    return message.replaceAll("\\s+", " ").strip();
  }

  /** Reads a domain XML. */
  public static DomainDescription domain(String xml) throws BadXml {
    DescriptionCapture[] capture = new DescriptionCapture[1];
    Object o = unmarshal(xml, capture);
    if (!(o instanceof XDomain d)) {
      throw new BadXml("expected a <domain> document", null);
    }
    String description = capture[0].text();
    if (description != null) {
      d.description = description;
    }
    return d.toDescription();
  }

  /** Reads a network hook's {@code <hookData>} (or a bare {@code <network>}). */
  public static NetworkHookData network(String xml) throws BadXml {
    Object o = unmarshal(xml, null);
    if (!(o instanceof XHookData h) || h.network == null || h.network.name == null) {
      throw new BadXml("expected <hookData> with a <network> that has a <name>", null);
    }
    XNetwork n = h.network;
    Optional<NetworkHookData.Port> port = Optional.empty();
    if (h.port != null) {
      XPort p = h.port;
      port = Optional.of(new NetworkHookData.Port(uuid(p.uuid),
          Optional.ofNullable(p.owner == null ? null : trim(p.owner.name)),
          uuid(p.owner == null ? null : p.owner.uuid),
          Optional.ofNullable(p.mac == null ? null : p.mac.address)));
    }
    return new NetworkHookData(n.name.strip(), uuid(n.uuid),
        Optional.ofNullable(n.bridge == null ? null : n.bridge.name), port);
  }

  static Optional<UUID> uuid(String s) {
    if (s == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(DomainRef.parseUuid(s.strip()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static String trim(String s) {
    return s == null ? null : s.strip();
  }

  // ------------------------------------------------------------------ the JAXB model

  /** {@code <domain>}. */
  @XmlRootElement(name = "domain")
  @XmlAccessorType(XmlAccessType.FIELD)
  public static final class XDomain {
    @XmlAttribute String type;
    @XmlAttribute String id;
    String name;
    String uuid;
    String description;
    XMemory memory;
    XText vcpu;
    XDevices devices;

    DomainDescription toDescription() throws BadXml {
      if (name == null || name.isBlank()) {
        throw new BadXml("the <domain> has no <name>", null);
      }
      OptionalInt domId = OptionalInt.empty();
      if (id != null && id.strip().matches("[0-9]{1,9}")) {
        domId = OptionalInt.of(Integer.parseInt(id.strip()));
      }
      Optional<Long> mem = Optional.empty();
      if (memory != null && memory.value != null && memory.value.strip().matches("[0-9]{1,18}")) {
        mem = Optional.of(kib(Long.parseLong(memory.value.strip()), memory.unit));
      }
      OptionalInt cpus = OptionalInt.empty();
      if (vcpu != null && vcpu.value != null && vcpu.value.strip().matches("[0-9]{1,6}")) {
        cpus = OptionalInt.of(Integer.parseInt(vcpu.value.strip()));
      }
      List<DomainDescription.Disk> disks = new ArrayList<>();
      List<DomainDescription.Interface> ifaces = new ArrayList<>();
      List<String> others = new ArrayList<>();
      if (devices != null) {
        for (XDisk d : devices.disks) {
          String src = d.source == null ? null : d.source.any();
          disks.add(new DomainDescription.Disk(nz(d.type), nz(d.device), Optional.ofNullable(src),
              Optional.ofNullable(d.target == null ? null : d.target.dev),
              Optional.ofNullable(d.target == null ? null : d.target.bus)));
        }
        for (XInterface i : devices.interfaces) {
          String src = i.source == null ? null : i.source.any();
          ifaces.add(new DomainDescription.Interface(nz(i.type),
              Optional.ofNullable(i.mac == null ? null : i.mac.address), Optional.ofNullable(src),
              Optional.ofNullable(i.target == null ? null : i.target.dev),
              Optional.ofNullable(i.model == null ? null : i.model.type)));
        }
        for (Object o : devices.others) {
          if (o instanceof org.w3c.dom.Element e) {
            others.add(e.getLocalName() != null ? e.getLocalName() : e.getTagName());
          }
        }
      }
      return new DomainDescription(nz(type), name.strip(), uuid(uuid), domId,
          Optional.ofNullable(description), mem, cpus, disks, ifaces, others);
    }

    private static String nz(String s) {
      return s == null ? "" : s;
    }

    private static long kib(long v, String unit) {
      String u = unit == null ? "KiB" : unit;
      return switch (u) {
        case "b", "bytes" -> v / 1024;
        case "KB" -> v * 1000 / 1024;
        case "MB" -> v * 1_000_000 / 1024;
        case "M", "MiB" -> v * 1024;
        case "GB" -> v * 1_000_000_000 / 1024;
        case "G", "GiB" -> v * 1024 * 1024;
        default -> v;
      };
    }
  }

  /** An element with text and a unit. */
  @XmlAccessorType(XmlAccessType.FIELD)
  public static final class XMemory {
    @XmlAttribute String unit;
    @XmlValue String value;
  }

  /** An element with text. */
  @XmlAccessorType(XmlAccessType.FIELD)
  public static final class XText {
    @XmlValue String value;
  }

  /** {@code <devices>}. */
  @XmlAccessorType(XmlAccessType.FIELD)
  public static final class XDevices {
    @XmlElement(name = "disk") List<XDisk> disks = new ArrayList<>();
    @XmlElement(name = "interface") List<XInterface> interfaces = new ArrayList<>();
    @XmlAnyElement List<Object> others = new ArrayList<>();
  }

  /** {@code <disk>}. */
  @XmlAccessorType(XmlAccessType.FIELD)
  public static final class XDisk {
    @XmlAttribute String type;
    @XmlAttribute String device;
    XSource source;
    XTarget target;
  }

  /** {@code <interface>}. */
  @XmlAccessorType(XmlAccessType.FIELD)
  public static final class XInterface {
    @XmlAttribute String type;
    XMac mac;
    XSource source;
    XTarget target;
    XModel model;
  }

  /** {@code <source>} of a disk or interface. */
  @XmlAccessorType(XmlAccessType.FIELD)
  public static final class XSource {
    @XmlAttribute String file;
    @XmlAttribute String dev;
    @XmlAttribute String volume;
    @XmlAttribute String name;
    @XmlAttribute String network;
    @XmlAttribute String bridge;

    String any() {
      for (String s : new String[] {file, dev, volume, name, network, bridge}) {
        if (s != null) {
          return s;
        }
      }
      return null;
    }
  }

  /** {@code <target>}. */
  @XmlAccessorType(XmlAccessType.FIELD)
  public static final class XTarget {
    @XmlAttribute String dev;
    @XmlAttribute String bus;
  }

  /** {@code <mac>}. */
  @XmlAccessorType(XmlAccessType.FIELD)
  public static final class XMac {
    @XmlAttribute String address;
  }

  /** {@code <model>}. */
  @XmlAccessorType(XmlAccessType.FIELD)
  public static final class XModel {
    @XmlAttribute String type;
  }

  /** {@code <hookData>} of network hooks. */
  @XmlRootElement(name = "hookData")
  @XmlAccessorType(XmlAccessType.FIELD)
  public static final class XHookData {
    XNetwork network;
    @XmlElement(name = "networkport") XPort port;
  }

  /** {@code <network>}. */
  @XmlAccessorType(XmlAccessType.FIELD)
  public static final class XNetwork {
    String name;
    String uuid;
    XBridge bridge;
  }

  /** {@code <bridge>}. */
  @XmlAccessorType(XmlAccessType.FIELD)
  public static final class XBridge {
    @XmlAttribute String name;
  }

  /** {@code <networkport>}. */
  @XmlAccessorType(XmlAccessType.FIELD)
  public static final class XPort {
    String uuid;
    XOwner owner;
    XMac mac;
  }

  /** {@code <owner>} of a port. */
  @XmlAccessorType(XmlAccessType.FIELD)
  public static final class XOwner {
    String name;
    String uuid;
  }
}
