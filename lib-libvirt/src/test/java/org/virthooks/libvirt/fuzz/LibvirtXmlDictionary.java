package org.virthooks.libvirt.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Tokens of XML and of libvirt's domain and hookData vocabulary for the fuzzer's mutations:
 * markup it would take long to spell byte by byte (references, CDATA, declarations, namespaces,
 * the elements and attributes HookXml maps and the description it reads apart).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@DictionaryEntries({"<?xml version=\"1.0\"?>", "<?xml version=\"1.1\"?>", " encoding=\"UTF-16\"",
    "\uFEFF", "&#13;", "&#10;", "&#x1;", "&#xD800;", "&#x10FFFF;", "&amp;", "&lt;", "&quot;",
    "<![CDATA[", "]]>", "<!--", "-->", "<?pi ?>", "<!DOCTYPE", "<!ENTITY", "xmlns=\"\"",
    "xmlns:qemu=\"http://libvirt.org/schemas/domain/qemu/1.0\"", "<qemu:commandline>",
    "<domain type='kvm' id='7'>", "</domain>", "<name>", "</name>",
    "<uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>", "<description>", "</description>",
    "<memory unit='GiB'>", "</memory>", "<vcpu placement='static'>", "</vcpu>", "<devices>",
    "</devices>", "<disk type='file' device='disk'>", "</disk>", "<source file='", "'/>",
    "<target dev='vda' bus='virtio'/>", "<backingStore type='file'>", "</backingStore>",
    "<interface type='bridge'>", "</interface>", "<mac address='52:54:00:6c:3c:01'/>",
    "<model type='virtio'/>", "<metadata>", "</metadata>", "<hookData>", "</hookData>",
    "<network>", "</network>", "<bridge name='virbr0'/>", "<networkport>", "</networkport>",
    "<owner>", "</owner>", "unit=", "type=", "dev=", "address="})
@interface LibvirtXmlDictionary {}
