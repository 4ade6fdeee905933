// One save status in the page editor. Wagtail's footer shows "Automatisk
// gemning er sat på pause" when an autosave fails, but only clears it when
// the unsaved-changes check says all is saved, which an autosave does not
// tell it: after the editor fixes the error and the next autosave succeeds,
// the header says "Gemt" and the footer still says paused. A successful
// autosave clears the footer's autosave message as well.
(() => {
  const FOOTER =
    '[data-controller~="w-messages"][data-action*="w-autosave:error"]';

  document.addEventListener('w-autosave:success', () => {
    const app = window.wagtail && window.wagtail.app;
    if (!app) return;
    document.querySelectorAll(FOOTER).forEach((element) => {
      const messages = app.getControllerForElementAndIdentifier(
        element,
        'w-messages',
      );
      // Truthy: hide with the footer's own transition, then empty it.
      if (messages) messages.clear(true);
    });
  });
})();
