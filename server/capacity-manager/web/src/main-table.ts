/**
 * The id of each view's main table's box: the skip link's target. The box is focusable
 * (tabIndex 0), so the skip link can move focus there and a table wider than the screen can be
 * scrolled with the keyboard.
 */
export const MAIN_TABLE_ID = 'main-table';
