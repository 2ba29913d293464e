"""The catalogue: the live modules, the layers they are written for, and their order.

One audience test (:func:`for_layer` in SQL, :func:`written_for` in Python) and
one order (:data:`ORDER` in SQL, :func:`order_key` in Python) serve every list
of modules: a person's training, their optional reading, the dashboards.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, SQLColumnExpression, exists, or_, select
from sqlalchemy.orm import Session, joinedload

from awareness.models import Layer, Module, ModuleAudience, ModuleTranslation, Question

#: The audience that takes in every layer (``Module.layer_ids`` of such a module).
EVERYONE = "all"
#: Modules in the order the catalogue lists them: by ``order``, those without one last, by title.
ORDER = (Module.position.is_(None), Module.position, Module.title)
#: Layers in the order of ``org.yml``.
LAYER_ORDER = (Layer.position, Layer.id)


@dataclass(frozen=True)
class ModuleInfo:
    id: int
    slug: str
    title: str


@dataclass(frozen=True)
class LayerInfo:
    id: str
    title: str


def order_key(module: Module) -> tuple[bool, int, str]:
    """:data:`ORDER` in Python, for modules already loaded."""
    return (module.position is None, module.position or 0, module.title)


def for_layer(layer: SQLColumnExpression[str | None] | str | None) -> ColumnElement[bool]:
    """SQL: the module is written for ``layer`` (a column or a value): everyone, or that layer."""
    return or_(
        Module.audience_all,
        exists().where(ModuleAudience.module_id == Module.id, ModuleAudience.layer_id == layer),
    )


def written_for(layer_ids: Collection[str], layer: str | None) -> bool:
    """:func:`for_layer` in Python, over a module's ``layer_ids``."""
    return EVERYONE in layer_ids or (layer is not None and layer in layer_ids)


def assigned_modules(session: Session) -> list[ModuleInfo]:
    """Every module that can be assigned (live and required), in catalogue order."""
    query = select(Module.id, Module.slug, Module.title).where(~Module.retired, Module.required)
    return [ModuleInfo(*row) for row in session.execute(query.order_by(*ORDER))]


def layers(session: Session) -> list[LayerInfo]:
    """Every layer, in the order of ``org.yml``."""
    query = select(Layer.id, Layer.title).order_by(*LAYER_ORDER)
    return [LayerInfo(*row) for row in session.execute(query)]


def live_module(session: Session, slug: str) -> Module | None:
    """The published module with this slug, with its quiz and translations, or None.

    They are read in one statement, so a request sees one version even while a
    sync replaces them (on PostgreSQL each statement reads its own snapshot:
    loaded separately, the questions of one version could meet the options, or
    none, of the next).
    """
    return (
        session.scalars(
            select(Module)
            .where(Module.slug == slug, ~Module.retired)
            .options(
                joinedload(Module.questions).joinedload(Question.options),
                joinedload(Module.translations),
            )
        )
        .unique()
        .one_or_none()
    )


def translated_headings(
    session: Session, module_ids: Collection[int], language: str
) -> dict[int, tuple[str, str]]:
    """The title and summary of each of these modules that is translated into ``language``."""
    if not module_ids:
        return {}
    rows = session.execute(
        select(ModuleTranslation.module_id, ModuleTranslation.title, ModuleTranslation.summary)
        .where(ModuleTranslation.language == language)
        .where(ModuleTranslation.module_id.in_(list(module_ids)))
    )
    return {module_id: (title, summary) for module_id, title, summary in rows}
