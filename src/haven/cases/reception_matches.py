"""Likely matches shown at reception, before a new person is created.

Users who may see a candidate's identity get her name, birth date and case references and
can answer "same person"; others learn only that a possible match exists and which
organisation to contact. The answers are kept (people.MatchDecision).
"""

import dataclasses

from haven.access import policy
from haven.people import actions as people_actions
from haven.people import matching
from haven.people.models import MatchDecision, Person

NEW = "new"


@dataclasses.dataclass
class Visible:
    person: Person
    score: float
    evidence: list
    references: list[str]


@dataclasses.dataclass
class Hidden:
    contact: object  # the organisation to contact
    score: float
    person: Person  # never rendered: kept to queue the pair for review


@dataclasses.dataclass
class ReceptionMatches:
    visible: list[Visible]
    hidden: list[Hidden]
    choice: str
    chosen: Person | None = None

    @property
    def must_ask(self) -> bool:
        """Matches were found and the user has not answered yet (or answered with a person
        they were not offered)."""
        offered = {str(v.person.pk) for v in self.visible}
        answered = self.choice == NEW or self.choice in offered
        return bool(self.visible or self.hidden) and not answered


def check(user, person_fields: dict, data: dict) -> ReceptionMatches:
    candidate = Person(**person_fields)
    suggestions = matching.suggest(candidate, document_number=data.get("document_number", ""))
    readable = policy.cases_with_section(user, "identity")
    visible, hidden = [], []
    for suggestion in suggestions:
        cases = list(readable.filter(person=suggestion.person).values_list("reference", flat=True))
        if cases:
            visible.append(Visible(suggestion.person, suggestion.score, suggestion.evidence, cases))
        else:
            contact = people_actions.contact_for(suggestion.person)
            hidden.append(Hidden(contact, suggestion.score, suggestion.person))
    choice = (data.get("match_choice") or "").strip()
    matches = ReceptionMatches(visible, hidden, choice)
    chosen = [v.person for v in visible if str(v.person.pk) == choice]
    matches.chosen = chosen[0] if chosen else None
    return matches


def keep_answers(user, person: Person, matches: ReceptionMatches) -> None:
    """Different from every visible suggestion she was not matched to; hidden ones go to
    the review queue for someone who can see both."""
    for visible in matches.visible:
        if visible.person.pk != person.pk:
            people_actions.note_match(
                person,
                visible.person,
                score=visible.score,
                explanation=visible.evidence,
                source=MatchDecision.Source.RECEPTION,
                decision=MatchDecision.Decision.DIFFERENT,
                user=user,
            )
    for hidden in matches.hidden:
        if hidden.person.pk != person.pk:
            people_actions.note_match(
                person,
                hidden.person,
                score=hidden.score,
                explanation=[],
                source=MatchDecision.Source.RECEPTION,
            )
