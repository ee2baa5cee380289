// Starts Debian's headless Chromium (over CDP) or Firefox ESR (over WebDriver BiDi) with fake camera, microphone and
// screen, for the browser scripts here; nothing is downloaded.
// Environment: PARLEY_CHROMIUM / PARLEY_FIREFOX, the binaries; PARLEY_CHROMIUM_ARGS, more Chromium flags
// (space-separated); PARLEY_ACCEPT_INSECURE_CERTS=1 accepts a self-signed certificate (PARLEY_TLS=self-signed);
// PARLEY_LANG, the languages the browser asks pages in (Accept-Language, e.g. "zh-CN"; default the browser's).
import fs from 'node:fs';
import puppeteer from 'puppeteer-core';

/** @param {'chromium' | 'firefox'} kind */
export async function launchBrowser(kind) {
  const acceptInsecureCerts = process.env.PARLEY_ACCEPT_INSECURE_CERTS === '1';
  const lang = process.env.PARLEY_LANG || '';
  if (kind === 'chromium') {
    const extraArgs = (process.env.PARLEY_CHROMIUM_ARGS || '').split(' ').filter(Boolean);
    return puppeteer.launch({
      browser: 'chrome',
      executablePath: process.env.PARLEY_CHROMIUM || '/usr/bin/chromium',
      headless: true,
      acceptInsecureCerts,
      userDataDir: fs.mkdtempSync('/tmp/parley-chromium-'),
      args: ['--no-sandbox', '--disable-gpu', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
        '--autoplay-policy=no-user-gesture-required', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-quic', '--mute-audio',
        ...(lang ? [`--lang=${lang}`, `--accept-lang=${lang}`] : []), ...extraArgs],
    });
  }
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.PARLEY_FIREFOX || '/usr/bin/firefox-esr',
    headless: true,
    acceptInsecureCerts,
    protocol: 'webDriverBiDi',
    extraPrefsFirefox: {
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      'media.peerconnection.ice.obfuscate_host_addresses': false,
      'media.autoplay.default': 0,
      'network.proxy.type': 0,
      ...(lang ? { 'intl.accept_languages': lang } : {}),
    },
  });
}
