// One save status in the page editor: the header's autosave indicator and
// the footer's message ("Automatisk gemning er sat på pause") say the same.
// Wagtail updates them from different events, so they can disagree:
// - the footer shows "paused" on an autosave error and hides it only when
//   the unsaved-changes check reports no edits, which a successful autosave
//   does not always lead to: a success hides the footer's message here too;
// - the editor undoes the change that failed (the form is as last saved):
//   the footer hides its message, while the indicator stays "paused" until
//   another autosave succeeds, which never comes as there is nothing to save.
//   After a content error (not a conflict, which stops autosave), the form
//   being as saved shows as saved.
(() => {
  const FOOTER =
    '[data-controller~="w-messages"][data-action*="w-autosave:error"]';
  const INDICATOR = '#w-autosave-indicator';
  let lastError = null;

  const controller = (element, identifier) => {
    const app = window.wagtail && window.wagtail.app;
    return app && element
      ? app.getControllerForElementAndIdentifier(element, identifier)
      : null;
  };

  document.addEventListener('w-autosave:error', (event) => {
    lastError = (event.detail && event.detail.type) || null;
  });

  document.addEventListener('w-autosave:success', () => {
    lastError = null;
    document.querySelectorAll(FOOTER).forEach((element) => {
      const messages = controller(element, 'w-messages');
      // Truthy: hide with the footer's own transition, then empty it.
      if (messages) messages.clear(true);
    });
  });

  document.addEventListener('w-unsaved:clear', () => {
    if (lastError !== 'validation_error') return;
    lastError = null;
    const indicator = controller(
      document.querySelector(INDICATOR),
      'w-autosave',
    );
    if (indicator && indicator.stateValue === 'paused') {
      // Wagtail's own "saved" state and (translated) tooltip.
      indicator.updateIndicator({ type: `${indicator.identifier}:success` });
    }
  });
})();
