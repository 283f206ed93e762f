package org.virthooks.ldm.testing;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed EC P-256 certificate for localhost and 127.0.0.1, made in memory at start, as
 * ldmd presents one: no private key is ever written to disk or committed. The simulator's; the
 * reason this module, not virthooks-ldm, depends on BouncyCastle.
 *
 * @param certificate the certificate
 * @param keyStore a key store holding the key and certificate under alias {@code ldmd}
 * @param password the key store's random password
 */
record SelfSignedCertificate(X509Certificate certificate, KeyStore keyStore, char[] password) {

  /** Makes a new key pair and certificate valid from an hour ago for a day. */
  public static SelfSignedCertificate generate(String commonName) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = g.generateKeyPair();
    X500Name name = new X500Name("CN=" + commonName);
    Instant now = Instant.now();
    try {
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name,
          new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
          Date.from(now.plus(Duration.ofDays(1))), name, pair.getPublic());
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.dNSName, "localhost"),
          new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress())}));
      ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
      X509CertificateHolder holder = b.build(signer);
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);
      char[] pw = Long.toHexString(new SecureRandom().nextLong()).toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("ldmd", pair.getPrivate(), pw, new X509Certificate[] {cert});
      return new SelfSignedCertificate(cert, ks, pw);
    } catch (OperatorCreationException | java.io.IOException e) {
      throw new GeneralSecurityException("cannot make a self-signed certificate", e);
    }
  }

  /** A server SSL context presenting this certificate. */
  public SSLContext serverContext() throws GeneralSecurityException {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore, password);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  /** A trust store holding only this certificate. */
  public KeyStore trustStore() throws GeneralSecurityException {
    try {
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      ts.setCertificateEntry("ldmd", certificate);
      return ts;
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
  }
}
