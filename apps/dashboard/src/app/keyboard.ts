/** Input types that take typed text or arrow keys: keys pressed in them are theirs. */
const TOGGLES = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'color', 'file']);

/** Whether keys pressed in `target` belong to it: a text or number box, a select, a slider, an editable area. */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLInputElement) return !TOGGLES.has(target.type);
  if (target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) return true;
  return ['slider', 'spinbutton', 'textbox', 'combobox', 'listbox'].includes(
    target.getAttribute('role') ?? '',
  );
}

/** The name `aria-keyshortcuts` gives `event`'s key, or null for keys without a shortcut. */
function shortcutOf(event: KeyboardEvent): 'Space' | 'ArrowRight' | null {
  if (event.ctrlKey || event.altKey || event.metaKey || event.shiftKey) return null;
  if (event.key === ' ' || event.code === 'Space') return 'Space';
  if (event.key === 'ArrowRight') return 'ArrowRight';
  return null;
}

/** The first button for `key` that can be pressed now: shown and enabled. */
function buttonFor(root: Document, key: string): HTMLButtonElement | null {
  for (const button of root.querySelectorAll<HTMLButtonElement>(`button[aria-keyshortcuts~="${key}"]`)) {
    if (!button.disabled && button.getClientRects().length > 0) return button;
  }
  return null;
}

/**
 * The page's keyboard shortcuts: Space presses whichever of the buttons marked `aria-keyshortcuts="Space"` can be
 * pressed (play when paused, pause when running), → the one marked `ArrowRight` (step). Keys typed in a text or
 * number box, a select or a slider are left to it, and Space on another focused button or a checkbox keeps its
 * usual meaning; Space on a run button plays or pauses (the button itself is not pressed as well). So any page
 * part that marks its buttons (the replay's play and pause too) gets the shortcuts.
 *
 * @example
 * ```ts
 * // not-runnable: in the browser
 * const unbind = bindShortcuts();
 * ```
 * @returns a function that removes the shortcuts
 * @category Controls
 */
export function bindShortcuts(root: Document = document): () => void {
  const owned = (event: KeyboardEvent): boolean => {
    const target = event.target;
    if (typing(target)) return false;
    // A focused control that is not a run button keeps Space (a checkbox toggles, a button presses).
    if (
      target instanceof HTMLElement &&
      (target instanceof HTMLButtonElement || target instanceof HTMLInputElement) &&
      !target.hasAttribute('aria-keyshortcuts')
    )
      return shortcutOf(event) === 'ArrowRight';
    return true;
  };
  const down = (event: KeyboardEvent): void => {
    const key = shortcutOf(event);
    if (key === null || event.defaultPrevented || !owned(event)) return;
    event.preventDefault();
    if (event.repeat && key === 'Space') return;
    buttonFor(root, key)?.click();
  };
  // A focused button is pressed by Space on key up: the shortcut already acted on key down.
  const up = (event: KeyboardEvent): void => {
    if (shortcutOf(event) === 'Space' && owned(event)) event.preventDefault();
  };
  root.addEventListener('keydown', down);
  root.addEventListener('keyup', up);
  return () => {
    root.removeEventListener('keydown', down);
    root.removeEventListener('keyup', up);
  };
}
