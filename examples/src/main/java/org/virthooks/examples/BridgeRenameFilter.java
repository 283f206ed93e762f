package org.virthooks.examples;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.virthooks.core.hook.Hook;
import org.virthooks.core.hook.HookCall;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.hook.Verdict;
import org.virthooks.core.relay.RelayServer;
import org.virthooks.libvirt.LibvirtHookPoints;
import org.virthooks.libvirt.LibvirtHookRunner;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * A migration/restore filter: a guest coming from a host whose bridge has another name is
 * rewritten to use this host's bridge ({@code <interface type='bridge'><source bridge='...'/>}).
 * Only the bridge attribute changes; a document with nothing to rename is passed on unchanged.
 */
public final class BridgeRenameFilter implements Hook {
  private final String from;
  private final String to;

  /** Renames bridge {@code from} to {@code to}. */
  public BridgeRenameFilter(String from, String to) {
    this.from = from;
    this.to = to;
  }

  /** Registers the filter for incoming migrations and restores. */
  public void registerWith(HookRegistry hooks) {
    hooks.hook(LibvirtHookPoints.DOMAIN_MIGRATE).name("bridge-rename").register(this);
    hooks.hook(LibvirtHookPoints.DOMAIN_RESTORE).name("bridge-rename").register(this);
  }

  @Override
  public Verdict apply(HookCall call) throws Exception {
    String xml = call.document().orElse("");
    if (xml.isBlank()) {
      return Verdict.proceed();
    }
    Document doc = parse(xml);
    boolean changed = false;
    NodeList sources = doc.getElementsByTagName("source");
    for (int i = 0; i < sources.getLength(); i++) {
      Element source = (Element) sources.item(i);
      if (source.getParentNode() instanceof Element parent
          && parent.getTagName().equals("interface") && parent.getAttribute("type").equals("bridge")
          && source.getAttribute("bridge").equals(from)) {
        source.setAttribute("bridge", to);
        changed = true;
      }
    }
    return changed ? Verdict.rewrite(serialize(doc)) : Verdict.proceed();
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    // the XML comes from another host: no DTDs, no external entities
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setExpandEntityReferences(false);
    DocumentBuilder b = f.newDocumentBuilder();
    return b.parse(new InputSource(new StringReader(xml)));
  }

  private static String serialize(Document doc) throws Exception {
    TransformerFactory tf = TransformerFactory.newInstance();
    tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
    Transformer t = tf.newTransformer();
    t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
    StringWriter w = new StringWriter();
    t.transform(new DOMSource(doc), new StreamResult(w));
    return w.toString();
  }

  /** Serves the filter through the relay: {@code BridgeRenameFilter SOCKET FROM TO}. */
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: BridgeRenameFilter SOCKET FROM-BRIDGE TO-BRIDGE");
      System.exit(2);
    }
    try (HookRegistry hooks = HookRegistry.create()) {
      new BridgeRenameFilter(args[1], args[2]).registerWith(hooks);
      try (RelayServer relay = RelayServer.builder(Path.of(args[0]),
          LibvirtHookRunner.of(hooks)::handle).start()) {
        System.out.println("rewriting restores and migrations on " + relay.socket());
        Thread.currentThread().join();
      }
    }
  }
}
