"""catalog: import runs of an old website's catalogue, and the requests a catalogue entry was drafted from
(Art. 44) (issue 11 §6).

Revision ID: catalog_0006
Revises: catalog_0001
"""

import sqlalchemy as sa
from alembic import op

from disclosure.core.models import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'catalog_0006'
down_revision = 'catalog_0001'
branch_labels = None
depends_on = ('applications_0001',)


def upgrade():
    op.create_table('catalog_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('files_id', sa.Integer(), nullable=True),
    sa.Column('files_name', sa.String(length=255), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('total_rows', sa.Integer(), nullable=False),
    sa.Column('processed_rows', sa.Integer(), nullable=False),
    sa.Column('created_count', sa.Integer(), nullable=False),
    sa.Column('updated_count', sa.Integer(), nullable=False),
    sa.Column('unchanged_count', sa.Integer(), nullable=False),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('errors_preview', sa.JSON(), nullable=False),
    sa.Column('error_file_id', sa.Integer(), nullable=True),
    sa.Column('failure', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('finished_at', UTCDateTime(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_catalog_imports_agency_id_agencies')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_catalog_imports_created_by_id_users')),
    sa.ForeignKeyConstraint(['error_file_id'], ['stored_files.id'], name=op.f('fk_catalog_imports_error_file_id_stored_files')),
    sa.ForeignKeyConstraint(['file_id'], ['stored_files.id'], name=op.f('fk_catalog_imports_file_id_stored_files')),
    sa.ForeignKeyConstraint(['files_id'], ['stored_files.id'], name=op.f('fk_catalog_imports_files_id_stored_files')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_imports'))
    )
    op.create_index(op.f('ix_catalog_imports_agency_id'), 'catalog_imports', ['agency_id'], unique=False)
    op.create_table('catalog_entry_requests',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_catalog_entry_requests_application_id_applications')),
    sa.ForeignKeyConstraint(['entry_id'], ['catalog_entries.id'], name=op.f('fk_catalog_entry_requests_entry_id_catalog_entries')),
    sa.ForeignKeyConstraint(['item_id'], ['application_items.id'], name=op.f('fk_catalog_entry_requests_item_id_application_items')),
    sa.PrimaryKeyConstraint('entry_id', 'application_id', name=op.f('pk_catalog_entry_requests'))
    )
    op.create_index(op.f('ix_catalog_entry_requests_application_id'), 'catalog_entry_requests', ['application_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_catalog_entry_requests_application_id'), table_name='catalog_entry_requests')
    op.drop_table('catalog_entry_requests')
    op.drop_index(op.f('ix_catalog_imports_agency_id'), table_name='catalog_imports')
    op.drop_table('catalog_imports')
