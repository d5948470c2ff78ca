"""One questionnaire element: the official question, its answer labels, skip and back.

One tap on an answer records it and moves on; "skip" leaves the element out
(it then counts in no NRR). Yes/no blocks (IPAK) show two answers; the SKD
template's 1–10 scale shows ten in a grid.
"""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.factory import Factory

from kiosk.rating.screens.base import RatingScreen


class QuestionScreen(RatingScreen):
    def refresh(self) -> None:
        flow = self.core.flow
        if not flow.questions:
            return
        question = flow.question
        lang = flow.language
        self.ids.target.text = self.target_line()
        self.ids.progress.text = self.rt(
            "element_progress", n=flow.index + 1, total=len(flow.questions)
        )
        self.ids.question.text = question.text[lang]
        box = self.ids.answers
        box.clear_widgets()
        box.cols = 5 if len(question.answers) > 4 else 1
        selected = App.get_running_app().c_selected
        chosen = flow.scores.get((question.questionnaire, question.version), {}).get(question.code)
        # best answer first: visitors read top-down and the official labels run 1 -> 4
        for index in reversed(range(len(question.answers))):
            button = Factory.KButton(text=question.answers[index][lang])
            if chosen == question.score_of(index):
                button.background_color = selected  # the answer given before "back"
            button.answer_index = index
            button.bind(on_release=self._answered)
            box.add_widget(button)

    def _answered(self, button: Any) -> None:
        self.core.answer(int(button.answer_index))
