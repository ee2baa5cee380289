// Texts for the scripts: the page renders them (Thymeleaf, both languages) into elements with data-text.

/** Replaces {0}, {1}, ... with the arguments. */
export function format(template, ...args) {
  return String(template).replace(/\{(\d+)\}/g, (whole, index) => (index < args.length ? String(args[index]) : whole));
}

/** Reads every [data-text] element under root into a lookup function t(key, ...args). */
export function loadTexts(root) {
  const texts = new Map();
  if (root) {
    const scope = root.content ?? root;
    scope.querySelectorAll('[data-text]').forEach((el) => texts.set(el.dataset.text, el.textContent.trim()));
  }
  return (key, ...args) => {
    const template = texts.get(key);
    return template === undefined ? key : format(template, ...args);
  };
}
