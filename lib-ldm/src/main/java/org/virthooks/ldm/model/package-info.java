/**
 * The Jakarta XML Binding model of the ldmd XML interface: {@link org.virthooks.ldm.model.LdmInterface}
 * (requests and responses), {@link org.virthooks.ldm.model.LdmEvent} and the OVF envelope parts they
 * carry. Every element and attribute is bound by its local name only: the guides use the ovf, rasd,
 * gprop and xsi prefixes with varying namespace URIs or none declared at all, so the reader strips
 * prefixes before binding and the writer puts the conventional ones back. Read and write documents
 * with {@link org.virthooks.ldm.LdmXml}.
 */
@XmlAccessorType(XmlAccessType.FIELD)
package org.virthooks.ldm.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
