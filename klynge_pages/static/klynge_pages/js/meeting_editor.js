/*
 * The meeting editor (MeetingPageForm.Media): agenda numbers that follow the
 * order, and "Tilføj klyngens medlemmer" on the participants panel.
 *
 * Both hook into Wagtail's own InlinePanel rather than redoing it: its
 * events (w-formset:added, w-formset:removed; SortableJS's "update" after a
 * drag), its move buttons, its addForm() (window.wagtail.editHandler) and the
 * person chooser's own setState(). The words shown come from the template
 * (participants_panel.html), in Danish.
 */
(() => {
  'use strict';

  const AGENDA = 'agenda_items';

  function liveRows(container) {
    return Array.from(container.children).filter(
      (row) =>
        row.matches('[data-inline-panel-child]') &&
        !row.classList.contains('deleted'),
    );
  }

  function rowPrefix(row) {
    return row.id.replace(/^inline_child_/, '');
  }

  /*
   * Agenda numbers. The rule, shared with MeetingPageForm.clean(): the
   * numbers rise down the agenda. When an item is moved (up/down buttons or
   * drag), added or deleted, every item is numbered again in its order,
   * start, start + 1, …, where start is the first item's number before the
   * change (1 when there is none): an agenda deliberately begun at 5 stays
   * begun at 5, whichever item is moved or deleted. Typing a number
   * renumbers nothing (an editor may skip one, e.g. 1, 2, 4); the next move
   * closes such a gap. An empty number is filled in by the server as the one
   * after the item above.
   */
  function initAgendaNumbers() {
    const container = document.getElementById(`id_${AGENDA}-FORMS`);
    if (!container) return;

    const numberInput = (row) =>
      document.getElementById(`id_${rowPrefix(row)}-number`);

    const firstNumber = () => {
      const [first] = liveRows(container);
      const value = first ? parseInt(numberInput(first)?.value, 10) : NaN;
      return Number.isInteger(value) && value > 0 ? value : 1;
    };

    // The start as it was before the change being handled.
    let start = firstNumber();

    const renumber = () => {
      liveRows(container).forEach((row, position) => {
        const input = numberInput(row);
        const value = String(start + position);
        if (input && input.value !== value) {
          input.value = value;
          input.dispatchEvent(new Event('change', { bubbles: true }));
        }
      });
      start = firstNumber();
    };

    // Nested panels (an item's attachments) raise the same events: only
    // this panel's own rows count.
    const ownRow = (element) => element?.parentElement === container;

    container.addEventListener('w-formset:added', (event) => {
      if (ownRow(event.target)) renumber();
    });
    container.addEventListener('w-formset:removed', (event) => {
      if (ownRow(event.target)) renumber();
    });
    // SortableJS's event after a drag has changed the order.
    container.addEventListener('update', (event) => {
      if (event.target === container) renumber();
    });
    // Wagtail's move buttons have moved the row when this bubbles up.
    container.addEventListener('click', (event) => {
      const button = event.target.closest(
        '[data-inline-panel-child-move-up], [data-inline-panel-child-move-down]',
      );
      if (button && ownRow(button.closest('[data-inline-panel-child]'))) {
        renumber();
      }
    });
    container.addEventListener('input', (event) => {
      if (event.target.name?.endsWith('-number')) start = firstNumber();
    });
  }

  /*
   * "Tilføj klyngens medlemmer": a participant row, invited, for each member
   * of the cluster (cluster_members.py) not on the list already.
   */
  function initClusterMembers() {
    const button = document.querySelector('[data-klynge-cluster-members]');
    if (!button) return;
    const prefix = button.dataset.formsetPrefix;
    const container = document.getElementById(`id_${prefix}-FORMS`);
    const status = button.parentElement.querySelector(
      '[data-klynge-cluster-members-status]',
    );
    const say = (message) => {
      if (status) status.textContent = message;
    };

    const addRow = () => {
      const panel = window.wagtail?.editHandler?.getPanelByName(prefix);
      if (panel) {
        panel.addForm();
      } else {
        document.getElementById(`id_${prefix}-ADD`).click();
      }
      const rows = liveRows(container);
      return rowPrefix(rows[rows.length - 1]);
    };

    const listed = () =>
      new Set(
        liveRows(container)
          .map(
            (row) => document.getElementById(`id_${rowPrefix(row)}-person`)?.value,
          )
          .filter(Boolean),
      );

    const setField = (id, value) => {
      const field = document.getElementById(id);
      if (field && value) {
        field.value = value;
        field.dispatchEvent(new Event('change', { bubbles: true }));
      }
    };

    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const response = await fetch(button.dataset.klyngeClusterMembers, {
          headers: { Accept: 'application/json' },
          credentials: 'same-origin',
        });
        if (!response.ok) throw new Error(response.statusText);
        const { members } = await response.json();
        const already = listed();
        const missing = members.filter(
          (member) => !already.has(String(member.id)),
        );
        missing.forEach((member) => {
          const row = addRow();
          const chooser = document.getElementById(
            `id_${row}-person-chooser`,
          )?.widget;
          chooser.setState({
            id: member.id,
            string: member.string,
            edit_url: member.edit_url,
          });
          setField(`id_${row}-role`, member.role);
          setField(`id_${row}-attendance`, member.attendance);
        });
        const { dataset } = button;
        if (!members.length) {
          say(dataset.messageNoMembers);
        } else if (!missing.length) {
          say(dataset.messageNoneNew);
        } else if (missing.length === 1) {
          say(dataset.messageAddedOne);
        } else {
          say(dataset.messageAddedMany.replace('%(count)s', missing.length));
        }
      } catch (error) {
        say(button.dataset.messageFailed);
      } finally {
        button.disabled = false;
      }
    });
  }

  function init() {
    initAgendaNumbers();
    initClusterMembers();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
