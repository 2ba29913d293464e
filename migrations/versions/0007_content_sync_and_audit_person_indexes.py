"""Every content sync with its counts or problems; audit entries found by person

``content_sync`` keeps each sync (applied or refused, never a dry run) for the
content status page; the indexes on ``audit_event.actor`` and ``target`` let the
audit page filter by a person without reading the whole log.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('content_sync',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('applied', sa.Boolean(), nullable=False),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Integer(), nullable=False),
    sa.Column('resets', sa.JSON(), nullable=False),
    sa.Column('problems', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['person.id'], name=op.f('fk_content_sync_actor_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_sync'))
    )
    # Plain CREATE INDEX, not batch mode: rebuilding audit_event would drop its append-only triggers.
    op.create_index('ix_audit_event_actor', 'audit_event', ['actor'], unique=False)
    op.create_index('ix_audit_event_target', 'audit_event', ['target'], unique=False)


def downgrade():
    op.drop_index('ix_audit_event_target', table_name='audit_event')
    op.drop_index('ix_audit_event_actor', table_name='audit_event')
    op.drop_table('content_sync')
