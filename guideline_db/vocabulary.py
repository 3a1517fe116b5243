"""Tokens of the case format and evaluation output, with their names in both languages.

Loaded from the guideline database (built from sources/vocabulary.toml) so that the case validator,
the engine, the GUI's type-ahead and the PDF all use one list.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from guideline_db.database import GuidelineDatabase, open_guideline


@dataclass(frozen=True)
class Vocabulary:
    class_agents: dict[str, frozenset[str]]      # class token → its agent tokens (transitively)
    class_kind: dict[str, str]                   # class token → endocrine | chemotherapy | ...
    agent_classes: dict[str, frozenset[str]]     # agent token → classes it belongs to
    names: dict[str, tuple[str, str]]            # any token → (zh, en)
    agent_tokens: frozenset[str]
    local_action_tokens: frozenset[str]
    option_ids: frozenset[str] = frozenset()     # ids of the guideline's regimen rows (mdt.decision.chosen_options)

    def kind_of(self, token: str) -> set[str]:
        """Kinds of a class or agent token (an agent may belong to several classes)."""
        if token in self.class_kind:
            return {self.class_kind[token]}
        return {self.class_kind[c] for c in self.agent_classes.get(token, ())}

    def in_class(self, token: str, class_token: str) -> bool:
        """True when `token` is the class itself, one of its sub-classes or one of its agents."""
        if token == class_token:
            return True
        members = self.class_agents.get(class_token, frozenset())
        if token in self.class_kind:
            own = self.class_agents[token]
            return bool(own) and own <= members
        return token in members

    def covers(self, component: str, agent: str) -> bool:
        """True when a decision's `agent` fulfils a recommendation's `component`: the agent itself, a member
        of the class, or a member of the two classes defined by exclusion ("非紫杉类化疗", "其他内分泌药物")."""
        if self.in_class(agent, component):
            return True
        if component == "non_taxane_chemotherapy":
            return self.in_class(agent, "chemotherapy") and not self.in_class(agent, "taxane")
        if component == "other_endocrine_therapy":
            return "endocrine" in self.kind_of(agent)
        return False

    def name(self, token: str, lang: str) -> str:
        zh, en = self.names.get(token, (token, token))
        return zh if lang == "zh" else en


def build_vocabulary(db: GuidelineDatabase) -> Vocabulary:
    classes = db.by_key("vocabulary_classes", "token")
    direct = {token: set(row.get("agents") or []) for token, row in classes.items()}

    def expand(token: str, seen: frozenset[str] = frozenset()) -> set[str]:
        agents = set(direct[token])
        for sub in classes[token].get("includes_classes") or []:
            if sub not in seen:
                agents |= expand(sub, seen | {token})
        return agents

    class_agents = {token: frozenset(expand(token)) for token in classes}
    agent_classes: dict[str, set[str]] = {}
    for token, agents in class_agents.items():
        for agent in agents:
            agent_classes.setdefault(agent, set()).add(token)
    names = {t: (r["name_zh"], r["name_en"]) for t, r in classes.items()}
    for table in ("value_names", "vocabulary_agents", "local_actions", "biomarker_names"):
        names.update({r["token"]: (r["name_zh"], r["name_en"]) for r in db.rows(table)})
    return Vocabulary(
        class_agents=class_agents,
        class_kind={t: r["kind"] for t, r in classes.items()},
        agent_classes={a: frozenset(c) for a, c in agent_classes.items()},
        names=names,
        agent_tokens=frozenset(r["token"] for r in db.rows("vocabulary_agents")),
        local_action_tokens=frozenset(r["token"] for r in db.rows("local_actions")),
        option_ids=frozenset(r["id"] for r in db.rows("regimen_options")),
    )


@lru_cache(maxsize=4)
def _cached(db: GuidelineDatabase) -> Vocabulary:
    return build_vocabulary(db)


def load_vocabulary(db: GuidelineDatabase | None = None) -> Vocabulary:
    return _cached(db or open_guideline())
