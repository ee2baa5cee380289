// Starts Debian's headless Chromium (over CDP) or Firefox ESR (over WebDriver BiDi) with fake camera, microphone and
// screen, for the browser scripts here; nothing is downloaded.
// Environment: PARLEY_CHROMIUM / PARLEY_FIREFOX, the binaries; PARLEY_CHROMIUM_ARGS, more Chromium flags
// (space-separated); PARLEY_ACCEPT_INSECURE_CERTS=1 accepts a self-signed certificate (PARLEY_TLS=self-signed);
// PARLEY_LANG, the languages the browser asks pages in (Accept-Language, e.g. "zh-CN"; default the browser's);
// PARLEY_SECURE_ORIGIN, an http origin the browser treats as secure (a page there may use camera and microphone);
// PARLEY_CA_CERT, a PEM file: a certificate authority the browser trusts as if its user had added it (NSS's certutil,
// package libnss3-tools, puts it in a fresh NSS database: Firefox's profile, Chromium's $HOME/.pki/nssdb). That is the
// way to TURN over TLS with a test's own certificate: neither browser accepts one it cannot verify there, and
// acceptInsecureCerts does not reach Chromium's TURN connections.
// PARLEY_SERVER_CERT and PARLEY_SERVER_ORIGIN: a self-signed server certificate (PARLEY_TLS=self-signed's, a PEM file)
// and the https origin it is for, accepted the way a user accepts it for good, for that server only: Chromium trusts it
// as a server's own certificate (trust "P" in the NSS database, as importing it in its certificate manager does);
// Firefox, which ignores that trust for a self-signed certificate, gets the permanent exception its "Accept the Risk
// and Continue" stores (cert_override.txt: host, port and the certificate's SHA-256 fingerprint). Unlike
// acceptInsecureCerts, every other server's certificate (a TURN server's, say) is still checked.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

/**
 * A new NSS database in `directory` that trusts the authority in `authorityFile` to identify servers, and the server
 * certificate in `serverCertificateFile` as that server's own (either may be empty).
 * @param {string} directory
 * @param {string} authorityFile
 * @param {string} serverCertificateFile
 */
function trustingNssDatabase(directory, authorityFile, serverCertificateFile) {
  fs.mkdirSync(directory, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${directory}`, '--empty-password']);
  if (authorityFile) {
    execFileSync('certutil',
      ['-A', '-d', `sql:${directory}`, '-n', 'Parley test CA', '-t', 'C,,', '-i', authorityFile]);
  }
  if (serverCertificateFile) {
    execFileSync('certutil',
      ['-A', '-d', `sql:${directory}`, '-n', 'Parley self-signed', '-t', 'P,,', '-i', serverCertificateFile]);
  }
}

/**
 * Firefox's permanent exception for `origin`'s certificate in `certificateFile`, in the profile `directory`.
 * @param {string} directory
 * @param {string} origin
 * @param {string} certificateFile
 */
function firefoxCertificateException(directory, origin, certificateFile) {
  const url = new URL(origin);
  if (url.protocol !== 'https:') throw new Error(`PARLEY_SERVER_ORIGIN must be an https origin, not ${origin}`);
  const port = url.port || '443';
  const fingerprint = new X509Certificate(fs.readFileSync(certificateFile)).fingerprint256;
  // OID.2.16.840.1.101.3.4.2.1 names SHA-256; the empty field after the port is the default origin attributes.
  fs.writeFileSync(path.join(directory, 'cert_override.txt'), '# PSM Certificate Override Settings file\n'
    + '# This is a generated file!  Do not edit.\n'
    + `${url.hostname}:${port}:\tOID.2.16.840.1.101.3.4.2.1\t${fingerprint}\t\n`);
}

/**
 * A new directory under /tmp, removed when this process ends.
 * @param {string} prefix
 */
function temporaryDirectory(prefix) {
  const directory = fs.mkdtempSync(prefix);
  process.once('exit', () => fs.rmSync(directory, { recursive: true, force: true }));
  return directory;
}

/** @param {'chromium' | 'firefox'} kind */
export async function launchBrowser(kind) {
  const acceptInsecureCerts = process.env.PARLEY_ACCEPT_INSECURE_CERTS === '1';
  const lang = process.env.PARLEY_LANG || '';
  const authority = process.env.PARLEY_CA_CERT || '';
  const secureOrigin = process.env.PARLEY_SECURE_ORIGIN || '';
  const serverCertificate = process.env.PARLEY_SERVER_CERT || '';
  const serverOrigin = process.env.PARLEY_SERVER_ORIGIN || '';
  if (Boolean(serverCertificate) !== Boolean(serverOrigin)) {
    throw new Error('PARLEY_SERVER_CERT and PARLEY_SERVER_ORIGIN go together');
  }
  if (kind === 'chromium') {
    const extraArgs = (process.env.PARLEY_CHROMIUM_ARGS || '').split(' ').filter(Boolean);
    /** @type {Record<string, string | undefined>} */
    let env = process.env;
    if (authority || serverCertificate) {
      // Chromium on Linux reads the user's NSS database under $HOME (since M146 it prefers
      // ~/.local/share/pki/nssdb, but keeps using ~/.pki/nssdb where that exists).
      const home = temporaryDirectory('/tmp/parley-chromium-home-');
      trustingNssDatabase(path.join(home, '.pki', 'nssdb'), authority, serverCertificate);
      env = { ...process.env, HOME: home };
    }
    return puppeteer.launch({
      browser: 'chrome',
      executablePath: process.env.PARLEY_CHROMIUM || '/usr/bin/chromium',
      headless: true,
      acceptInsecureCerts,
      env,
      userDataDir: temporaryDirectory('/tmp/parley-chromium-'),
      args: ['--no-sandbox', '--disable-gpu', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
        '--autoplay-policy=no-user-gesture-required', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-quic', '--mute-audio',
        ...(lang ? [`--lang=${lang}`, `--accept-lang=${lang}`] : []),
        ...(secureOrigin ? [`--unsafely-treat-insecure-origin-as-secure=${secureOrigin}`] : []), ...extraArgs],
    });
  }
  let userDataDir;
  if (authority || serverCertificate) {
    userDataDir = temporaryDirectory('/tmp/parley-firefox-');
    trustingNssDatabase(userDataDir, authority, '');
    if (serverCertificate) firefoxCertificateException(userDataDir, serverOrigin, serverCertificate);
  }
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.PARLEY_FIREFOX || '/usr/bin/firefox-esr',
    headless: true,
    acceptInsecureCerts,
    userDataDir,
    protocol: 'webDriverBiDi',
    extraPrefsFirefox: {
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      'media.peerconnection.ice.obfuscate_host_addresses': false,
      'media.autoplay.default': 0,
      'network.proxy.type': 0,
      ...(lang ? { 'intl.accept_languages': lang } : {}),
      // Firefox's allowlist takes host names, whatever the port.
      ...(secureOrigin ? { 'dom.securecontext.allowlist': new URL(secureOrigin).hostname } : {}),
    },
  });
}
