"""The main window's actions and toolbar, and which of them apply to the selection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QMainWindow, QStyle, QToolBar

from engine.pool.jobs import JobState


class Host(Protocol):
    """The window methods the actions call."""

    def choose_files(self) -> None: ...
    def choose_folder(self) -> None: ...
    def cancel_selected(self) -> None: ...
    def retry_selected(self) -> None: ...
    def remove_selected(self) -> None: ...
    def move_selected(self, delta: int) -> None: ...
    def clear_finished(self) -> None: ...
    def export(self) -> object: ...
    def open_output_folder(self) -> None: ...
    def edit_settings(self) -> None: ...
    def show_voice_library(self) -> object: ...


class WindowActions(QObject):
    """Every toolbar action of the window, created once and enabled by `update`."""

    def __init__(self, window: QMainWindow, host: Host, undo_group: QUndoGroup) -> None:
        super().__init__(window)
        self._window = window
        sp = QStyle.StandardPixmap
        act = self._action
        self.add_files = act(self.tr("Add files…"), host.choose_files, "Ctrl+O", sp.SP_FileIcon)
        self.add_folder = act(self.tr("Add folder…"), host.choose_folder, "", sp.SP_DirIcon)
        self.cancel = act(self.tr("Cancel"), host.cancel_selected, "", sp.SP_DialogCancelButton)
        self.retry = act(self.tr("Retry"), host.retry_selected, "", sp.SP_BrowserReload)
        self.remove = act(self.tr("Remove"), host.remove_selected, "Delete", sp.SP_TrashIcon)
        self.move_up = act(self.tr("Move up"), lambda: host.move_selected(-1), "", sp.SP_ArrowUp)
        self.move_down = act(
            self.tr("Move down"), lambda: host.move_selected(1), "", sp.SP_ArrowDown
        )
        self.clear = act(
            self.tr("Clear finished"), host.clear_finished, "", sp.SP_DialogResetButton
        )
        self.export = act(self.tr("Export…"), host.export, "Ctrl+E", sp.SP_DialogSaveButton)
        self.open_folder = act(
            self.tr("Open output folder"), host.open_output_folder, "", sp.SP_DirOpenIcon
        )
        self.voices = act(
            self.tr("Voice library…"), host.show_voice_library, "", sp.SP_FileDialogContentsView
        )
        self.settings = act(
            self.tr("Settings…"), host.edit_settings, "Ctrl+,", sp.SP_FileDialogDetailedView
        )
        self.undo = undo_group.createUndoAction(window, self.tr("Undo"))
        self.undo.setIcon(window.style().standardIcon(sp.SP_ArrowBack))
        self.undo.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
        self.redo = undo_group.createRedoAction(window, self.tr("Redo"))
        self.redo.setIcon(window.style().standardIcon(sp.SP_ArrowForward))
        # Ctrl+Shift+Z everywhere, plus the platform's own redo key (Ctrl+Y on Windows).
        redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        if QKeySequence("Ctrl+Shift+Z") not in redo_keys:
            redo_keys.append(QKeySequence("Ctrl+Shift+Z"))
        self.redo.setShortcuts(redo_keys)
        for action in (self.undo, self.redo):
            window.addAction(action)
        self.toolbar = QToolBar(self.tr("Actions"), window)
        self.toolbar.setObjectName("actions")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        groups = (
            (self.add_files, self.add_folder),
            (self.cancel, self.retry, self.remove, self.move_up, self.move_down, self.clear),
            (self.undo, self.redo),
            (self.export, self.open_folder),
            (self.voices, self.settings),
        )
        for i, group in enumerate(groups):
            if i:
                self.toolbar.addSeparator()
            self.toolbar.addActions(list(group))
        window.addToolBar(self.toolbar)

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: str,
        icon: QStyle.StandardPixmap,
    ) -> QAction:
        action = QAction(self._window.style().standardIcon(icon), text, self._window)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        self._window.addAction(action)
        return action

    def update(
        self, selected: set[JobState], any_finished: bool, can_export: bool, has_folder: bool
    ) -> None:
        """Enable what applies to the selected jobs' states and to the queue as a whole."""
        self.cancel.setEnabled(any(s is JobState.QUEUED or s.active for s in selected))
        self.retry.setEnabled(bool(selected & {JobState.FAILED, JobState.CANCELLED}))
        self.remove.setEnabled(any(not s.active for s in selected))
        self.move_up.setEnabled(JobState.QUEUED in selected)
        self.move_down.setEnabled(JobState.QUEUED in selected)
        self.clear.setEnabled(any_finished)
        self.export.setEnabled(can_export)
        self.open_folder.setEnabled(has_folder)
