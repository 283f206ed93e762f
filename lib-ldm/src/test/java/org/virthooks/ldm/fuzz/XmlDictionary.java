package org.virthooks.ldm.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Tokens of XML and of the ldmd vocabulary for the fuzzer's mutations: markup it would take long
 * to spell byte by byte (character references, CDATA, declarations, prefixes, the stream header).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@DictionaryEntries({"<?xml version=\"1.0\"?>", "<?xml version=\"1.1\"?>", " encoding=\"UTF-16\"",
    " encoding='ISO-8859-1'", "\uFEFF", "&#13;", "&#10;", "&#9;", "&#x1;", "&#xD800;", "&#x10FFFF;",
    "&amp;", "&lt;", "&quot;", "<![CDATA[", "]]>", "<!--", "-->", "<?pi ?>", "<!DOCTYPE",
    "xmlns:", "xmlns=\"\"", "xsi:type=", "ovf:id=", "id=", "key=", "version=",
    "<LDM_event version='1.0'>", "</LDM_event>", "<LDM_interface version=\"1.3\">",
    "</LDM_interface>", "<cmd>", "</cmd>", "<action>", "</action>", "<data version=\"3.0\">",
    "<Envelope>", "<References/>", "<Content xsi:type=\"ovf:VirtualSystem_Type\" id=\"ldg1\">",
    "<Section xsi:type=\"ovf:ResourceAllocationSection_type\">", "<Item>",
    "<rasd:OtherResourceType>", "<gprop:GenericProperty key=\"", "</gprop:GenericProperty>",
    "<response><status>failure</status><resp_msg>", "<option>",
    "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>",
    "</stream:stream>", "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>", "<stream:features>"})
@interface XmlDictionary {}
