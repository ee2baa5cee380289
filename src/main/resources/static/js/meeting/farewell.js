// @ts-check
// The words on the screen after a meeting: why you are out, and who put you out. No DOM.

/** @typedef {import('./protocol.js').ModeratedMessage} ModeratedMessage */

/**
 * Which text to show for leaving with this reason (a bye reason, or the page's own such as 'left'), and its name
 * argument. An administrator who acted from Admin -> Live is named as one, never as a host.
 * @param {string} reason
 * @param {ModeratedMessage | null} moderation the host or admin control that sent you out, if one did
 * @param {string | null} selfId your participant id
 * @returns {{key: string, args: string[]}} key: `end.…`, which the page may lack for an unknown reason
 */
export function farewellText(reason, moderation, selfId) {
  const by = moderation ? moderation.by.displayName : '';
  const admin = moderation !== null && moderation.admin;
  if (reason === 'meeting-ended' && moderation) {
    if (admin) return { key: 'end.endedByAdmin', args: [by] };
    if (moderation.by.participantId === selfId) return { key: 'end.endedByYou', args: [] };
  }
  if (reason === 'banned' && by) return { key: 'end.bannedBy', args: [by] };
  if (reason === 'removed' && moderation && moderation.action === 'remove') {
    return { key: admin ? 'end.removedByAdmin' : 'end.removedBy', args: [by] };
  }
  return { key: `end.${reason}`, args: [] };
}
