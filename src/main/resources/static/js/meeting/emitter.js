// @ts-check
// A tiny event emitter (works the same in browsers and in Node tests).

/**
 * Events maps each event name to the type of its detail (a subclass declares it as `@extends {Emitter<MyEvents>}`).
 * @template {Record<string, any>} [Events=Record<string, any>]
 */
export class Emitter {
  constructor() {
    /** @type {Map<keyof Events, Set<(detail: any) => void>>} */
    this.listeners = new Map();
  }

  /**
   * @template {keyof Events} K
   * @param {K} type
   * @param {(detail: Events[K]) => void} listener
   * @returns {() => void} removes the listener again
   */
  on(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)?.add(listener);
    return () => this.listeners.get(type)?.delete(listener);
  }

  /**
   * @template {keyof Events} K
   * @param {K} type
   * @param {Events[K]} detail
   */
  emit(type, detail) {
    const listeners = this.listeners.get(type);
    if (!listeners) return;
    for (const listener of [...listeners]) listener(detail);
  }
}
