"""Bring the database in line with a parsed content folder, all or nothing.

Modules, layers and assets are written in one transaction. Nothing here touches
the filesystem except to read the checked assets again from the content folder.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import Session

from awareness import audit
from awareness.content.assets import FOLDER, AssetChanged, AssetSpec, read_asset
from awareness.content.parser import ContentTree, LayerSpec, ModuleSpec
from awareness.content.problems import Problem
from awareness.extensions import unit_of_work
from awareness.models import (
    Assignment,
    ContentAsset,
    Layer,
    Module,
    ModuleAudience,
    ModuleRevision,
    ModuleTranslation,
    Option,
    Person,
    Question,
)
from awareness.models.types import utcnow
from awareness.progress import summary
from awareness.progress.status import is_completed


class SyncRefused(Exception):
    """The files contradict the database (for example a ``major`` that went down)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@dataclass(frozen=True)
class MajorReset:
    slug: str
    old: int
    new: int
    completions: int  # people whose completion stops counting


@dataclass
class AssetChanges:
    """Paths below ``assets/``, by what the sync did with them."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass
class SyncResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    resets: list[MajorReset] = field(default_factory=list)
    assets: AssetChanges = field(default_factory=AssetChanges)

    @property
    def changed(self) -> bool:
        """Whether the sync published anything: a module or an asset."""
        return bool(self.added or self.updated or self.retired or self.assets.changed)

    def summary(self) -> str:
        return (
            f"added {len(self.added)}, updated {len(self.updated)}, "
            f"unchanged {len(self.unchanged)}, retired {len(self.retired)}"
        )


def sync(
    session: Session,
    tree: ContentTree,
    *,
    dry_run: bool = False,
    today: date | None = None,
    source: str = "",
) -> SyncResult:
    """Apply ``tree`` (which must have no problems) and commit, or roll back for a dry run."""
    with unit_of_work(session, keep=not dry_run):
        return apply(session, tree, today=today, source=source, record=not dry_run)


def apply(
    session: Session,
    tree: ContentTree,
    *,
    today: date | None = None,
    source: str = "",
    record: bool = True,
) -> SyncResult:
    """Write ``tree`` (which must have no problems) into ``session``, flushed, not committed.

    With ``record``, a sync that changes modules is audited (``source`` names
    the folder). Raises :class:`SyncRefused` for problems only the database shows.
    """
    if tree.problems:
        raise SyncRefused(tree.problems)
    result = _apply(session, tree, today or utcnow().date())
    if result.changed and record:
        _record(session, result, source)
    return result


def _record(session: Session, result: SyncResult, source: str) -> None:
    audit.record(
        session,
        "content.sync",
        source,
        added=result.added,
        updated=result.updated,
        retired=result.retired,
        resets=[asdict(reset) for reset in result.resets],
        assets={
            "added": result.assets.added,
            "updated": result.assets.updated,
            "removed": result.assets.removed,
        },
    )


def _apply(session: Session, tree: ContentTree, today: date) -> SyncResult:
    _upsert_layers(session, tree.layers)
    existing = {module.slug: module for module in session.scalars(select(Module))}
    _refuse_lower_majors(tree.modules, existing)

    result = SyncResult()
    changed: list[Module] = []
    for spec in tree.modules:
        module = existing.get(spec.slug)
        if module is None:
            module = Module(slug=spec.slug, published_on=today)
            session.add(module)
            _write(session, module, spec)
            result.added.append(spec.slug)
        elif _same(module, spec):
            result.unchanged.append(spec.slug)
            continue
        else:
            terms = assignment_terms(module)
            if spec.major > module.major:
                result.resets.append(
                    MajorReset(spec.slug, module.major, spec.major, _completions(session, module))
                )
                module.published_on = today
            module.retired = False
            _write(session, module, spec)
            result.updated.append(spec.slug)
            if assignment_terms(module) == terms:
                continue  # a change of text only (a typo fix): nobody's assignment moves
        changed.append(module)

    present = {spec.slug for spec in tree.modules}
    for slug, module in existing.items():
        if slug not in present and not module.retired:
            module.retired = True
            result.retired.append(slug)
            changed.append(module)

    session.flush()
    summary.refresh(session, module_ids=[module.id for module in changed])
    _drop_unused_layers(session, tree.layers)
    result.assets = _publish_assets(session, tree.assets)
    return result


def assignment_terms(module: Module) -> tuple[object, ...]:
    """What a module's assignments are computed from (see ``awareness.progress.summary.refresh``).

    Rebuilding them takes the write lock on SQLite, and on PostgreSQL makes
    attempts wait, for every assignment of the module: a sync does it only
    when one of these changed.
    """
    return (
        module.retired,
        module.required,
        module.major,
        module.published_on,
        module.due_days,
        module.renew_days,
        tuple(sorted(module.layer_ids)),
    )


def _publish_assets(session: Session, specs: list[AssetSpec]) -> AssetChanges:
    """Store each checked asset whose bytes differ from the published ones; drop those gone."""
    published = dict(session.execute(select(ContentAsset.path, ContentAsset.sha256)).all())
    changes = AssetChanges()
    for spec in specs:
        old_hash = published.pop(spec.path, None)
        if old_hash == spec.sha256:
            changes.unchanged.append(spec.path)
            continue
        try:
            data = read_asset(spec)
        except AssetChanged:
            raise SyncRefused(
                [Problem(f"{FOLDER}/{spec.path}", 1, "changed during the sync: run it again")]
            ) from None
        fields = {"media_type": spec.media_type, "sha256": spec.sha256, "size": spec.size}
        if old_hash is None:
            session.add(ContentAsset(path=spec.path, data=data, **fields))
            changes.added.append(spec.path)
        else:
            session.execute(
                update(ContentAsset)
                .where(ContentAsset.path == spec.path)
                .values(data=data, updated_at=utcnow(), **fields)
            )
            changes.updated.append(spec.path)
    if published:
        session.execute(delete(ContentAsset).where(ContentAsset.path.in_(published)))
        changes.removed = sorted(published)
    session.flush()
    return changes


def _same(module: Module, spec: ModuleSpec) -> bool:
    """Whether the published module is exactly this file (text, translations and path)."""
    return (
        module.content_hash == spec.content_hash
        and module.source_path == spec.path
        and not module.retired
    )


def _upsert_layers(session: Session, specs: list[LayerSpec]) -> None:
    layers = {layer.id: layer for layer in session.scalars(select(Layer))}
    for position, spec in enumerate(specs):
        layer = layers.get(spec.id) or Layer(id=spec.id)
        layer.title, layer.description, layer.position = spec.title, spec.description, position
        session.add(layer)
    session.flush()


def _drop_unused_layers(session: Session, specs: list[LayerSpec]) -> None:
    """Drop layers gone from org.yml unless still in use (after the modules are written)."""
    wanted = {spec.id for spec in specs}
    for layer in session.scalars(select(Layer).where(Layer.id.not_in(wanted))).all():
        in_use = session.scalar(
            select(
                exists().where(Person.layer_id == layer.id)
                | exists().where(ModuleAudience.layer_id == layer.id)
            )
        )
        if not in_use:
            session.delete(layer)


def _refuse_lower_majors(specs: list[ModuleSpec], existing: dict[str, Module]) -> None:
    problems = [
        Problem(
            spec.path,
            spec.line_of("major"),
            f"major went down from {existing[spec.slug].major} to {spec.major}: it may only rise",
        )
        for spec in specs
        if spec.slug in existing and spec.major < existing[spec.slug].major
    ]
    if problems:
        raise SyncRefused(problems)


def _completions(session: Session, module: Module) -> int:
    completed = is_completed(utcnow())
    count = session.scalar(
        select(func.count())
        .select_from(Assignment)
        .where(Assignment.module_id == module.id, completed)
    )
    return count or 0


def _write(session: Session, module: Module, spec: ModuleSpec) -> None:
    """Copy every field of ``spec`` onto ``module``, replacing its quiz and translations."""
    module.title = spec.title
    module.summary = spec.summary
    module.audience_all = spec.audience == ["all"]
    module.required = spec.required
    module.due_days = spec.due_days
    module.renew_days = spec.renew_days
    module.passing_score = spec.passing_score
    module.minutes = spec.minutes
    module.major = spec.major
    module.controls = spec.controls
    module.position = spec.order
    module.shuffle = spec.shuffle
    module.body_html = spec.body_html
    module.source_path = spec.path
    module.source_hash = spec.source_hash
    module.content_hash = spec.content_hash

    # Clear first: the new rows reuse the (module, number) keys of the old ones.
    module.audience.clear()
    module.questions.clear()
    module.translations.clear()
    session.flush()
    if not module.audience_all:
        module.audience = [ModuleAudience(layer_id=layer_id) for layer_id in spec.audience]
    module.questions = [
        Question(
            number=question.number,
            text_html=question.text_html,
            multiple=question.multiple,
            explanation_html=question.explanation_html,
            options=[
                Option(number=option.number, text_html=option.text_html, correct=option.correct)
                for option in question.options
            ],
        )
        for question in spec.questions
    ]
    module.translations = [
        ModuleTranslation(
            language=translation.language,
            title=translation.title,
            summary=translation.summary,
            body_html=translation.body_html,
            quiz=[
                {
                    "text_html": question.text_html,
                    "explanation_html": question.explanation_html,
                    "options": [option.text_html for option in question.options],
                }
                for question in translation.questions
            ],
            source_path=translation.path,
            source_hash=translation.source_hash,
        )
        for translation in spec.translations
    ]
    session.flush()
    _record_revisions(session, module, spec)


def _record_revisions(session: Session, module: Module, spec: ModuleSpec) -> None:
    known = set(
        session.scalars(
            select(ModuleRevision.source_hash).where(ModuleRevision.module_id == module.id)
        )
    )
    for version in [spec, *spec.translations]:
        if version.source_hash not in known:
            known.add(version.source_hash)
            session.add(
                ModuleRevision(
                    module_id=module.id,
                    source_hash=version.source_hash,
                    language=version.language or "",
                    major=spec.major,
                    source=version.source,
                )
            )
