package org.virthooks.ldm.model;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlType;

/** {@code <data version="3.0">}: an OVF {@link Envelope}, and in a response the per-object status. */
@XmlType(propOrder = {"envelope", "response"})
public final class Data {
  /** The data version every documented release uses. */
  public static final String DEFAULT_VERSION = "3.0";

  @XmlAttribute(name = "version")
  private String version;

  @XmlElement(name = "Envelope")
  private Envelope envelope;

  @XmlElement(name = "response")
  private Response response;

  /** An empty data part, for JAXB. */
  public Data() {}

  /** {@code <data version="3.0"/>}, as registrations send it. */
  public static Data empty() {
    Data d = new Data();
    d.version = DEFAULT_VERSION;
    return d;
  }

  /** A data part holding {@code envelope}. */
  public static Data of(Envelope envelope) {
    Data d = empty();
    d.envelope = envelope;
    return d;
  }

  /** The version attribute, or null. */
  public String getVersion() {
    return version;
  }

  /** The envelope, or null when the data part is empty. */
  public Envelope getEnvelope() {
    return envelope;
  }

  /** Sets the envelope; returns this. */
  public Data setEnvelope(Envelope envelope) {
    this.envelope = envelope;
    return this;
  }

  /** The per-object response, or null. */
  public Response getResponse() {
    return response;
  }

  /** Sets the per-object response; returns this. */
  public Data setResponse(Response response) {
    this.response = response;
    return this;
  }

  @Override
  public String toString() {
    return "data[" + envelope + (response == null ? "" : ", " + response) + "]";
  }
}
