// @ts-check
// On/off buttons (microphone, camera): their label says what pressing them does; data-state drives the icon.

/**
 * @param {HTMLButtonElement} button
 * @param {boolean} available false when there is nothing to switch (no device, or the meeting does not take this kind)
 * @param {boolean} on        the current state
 * @param {string} labelWhenOn
 * @param {string} labelWhenOff
 * @param {string} labelUnavailable
 */
export function setToggle(button, available, on, labelWhenOn, labelWhenOff, labelUnavailable) {
  const label = !available ? labelUnavailable : on ? labelWhenOn : labelWhenOff;
  button.dataset.state = !available ? 'unavailable' : on ? 'on' : 'off';
  button.disabled = !available;
  button.setAttribute('aria-label', label);
  button.title = label;
}
