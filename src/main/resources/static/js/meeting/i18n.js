// @ts-check
// Texts for the scripts: the page renders them (Thymeleaf, both languages) into elements with data-text.

/**
 * A text lookup: t(key, ...args) gives the text with {0}, {1}, ... filled in, or the key when there is none.
 * @typedef {(key: string, ...args: unknown[]) => string} Texts
 */

/**
 * Replaces {0}, {1}, ... with the arguments.
 * @param {unknown} template
 * @param {...unknown} args
 */
export function format(template, ...args) {
  return String(template).replace(/\{(\d+)\}/g, (whole, index) => (index < args.length ? String(args[index]) : whole));
}

/**
 * Reads every [data-text] element under root into a lookup function t(key, ...args).
 * @param {Element | null | undefined} root an element, or a <template> (its content is read)
 * @returns {Texts}
 */
export function loadTexts(root) {
  /** @type {Map<string | undefined, string>} */
  const texts = new Map();
  if (root) {
    const scope = /** @type {Partial<HTMLTemplateElement>} */ (root).content ?? root;
    /** @type {NodeListOf<HTMLElement>} */
    const elements = scope.querySelectorAll('[data-text]');
    elements.forEach((el) => texts.set(el.dataset.text, /** @type {string} */ (el.textContent).trim()));
  }
  return (key, ...args) => {
    const template = texts.get(key);
    return template === undefined ? key : format(template, ...args);
  };
}
