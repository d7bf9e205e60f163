"""publicity: matter catalogues, responsibility forms, licensing and penalty records, code lists, settings,
imports, exports; the full-text index; the default code lists, publicity periods and settings (rules-china §5).

Revision ID: publicity_0001
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

from disclosure.core.models import UTCDateTime
from disclosure.publicity.rules import seed_rows
from disclosure.publicity.search import drop_search_index, install_search_index

revision = "publicity_0001"
down_revision = "0001_foundation"
branch_labels = ("publicity",)
depends_on = None


def upgrade():

    op.create_table('publicity_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=60), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('meaning', sa.String(length=40), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publicity_codes')),
    sa.UniqueConstraint('list_name', 'value', name=op.f('uq_publicity_codes_list_name_value'))
    )
    op.create_table('publicity_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('severity', sa.String(length=20), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('min_months', sa.Integer(), nullable=False),
    sa.Column('max_months', sa.Integer(), nullable=False),
    sa.Column('basis', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publicity_periods')),
    sa.UniqueConstraint('severity', 'effective_from', name=op.f('uq_publicity_periods_severity_effective_from'))
    )
    op.create_table('publicity_settings',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_publicity_settings'))
    )
    op.create_table('publicity_matters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('counterpart_kinds', sa.JSON(), nullable=False),
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_publicity_matters_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publicity_matters')),
    sa.UniqueConstraint('agency_id', 'kind', 'name', name=op.f('uq_publicity_matters_agency_id_kind_name'))
    )
    op.create_index(op.f('ix_publicity_matters_agency_id'), 'publicity_matters', ['agency_id'], unique=False)
    op.create_table('publicity_responsibilities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('leader_name', sa.String(length=60), nullable=False),
    sa.Column('leader_title', sa.String(length=100), nullable=False),
    sa.Column('section_name', sa.String(length=120), nullable=False),
    sa.Column('person_name', sa.String(length=60), nullable=False),
    sa.Column('person_phone', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_publicity_responsibilities_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publicity_responsibilities')),
    sa.UniqueConstraint('agency_id', name=op.f('uq_publicity_responsibilities_agency_id'))
    )
    op.create_table('publicity_catalogue_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', UTCDateTime(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', UTCDateTime(), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_publicity_catalogue_versions_agency_id_agencies')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_publicity_catalogue_versions_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_publicity_catalogue_versions_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publicity_catalogue_versions')),
    sa.UniqueConstraint('agency_id', 'number', name=op.f('uq_publicity_catalogue_versions_agency_id_number'))
    )
    op.create_index(op.f('ix_publicity_catalogue_versions_agency_id'), 'publicity_catalogue_versions', ['agency_id'], unique=False)
    op.create_table('publicity_exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('fmt', sa.String(length=10), nullable=False),
    sa.Column('changed_only', sa.Boolean(), nullable=False),
    sa.Column('since', UTCDateTime(), nullable=True),
    sa.Column('until', UTCDateTime(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_publicity_exports_agency_id_agencies')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_publicity_exports_created_by_id_users')),
    sa.ForeignKeyConstraint(['file_id'], ['stored_files.id'], name=op.f('fk_publicity_exports_file_id_stored_files')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publicity_exports'))
    )
    op.create_index(op.f('ix_publicity_exports_agency_id'), 'publicity_exports', ['agency_id'], unique=False)
    op.create_table('publicity_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('publish', sa.Boolean(), nullable=False),
    sa.Column('default_matter_id', sa.Integer(), nullable=True),
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
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_publicity_imports_agency_id_agencies')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_publicity_imports_created_by_id_users')),
    sa.ForeignKeyConstraint(['default_matter_id'], ['publicity_matters.id'], name=op.f('fk_publicity_imports_default_matter_id_publicity_matters')),
    sa.ForeignKeyConstraint(['error_file_id'], ['stored_files.id'], name=op.f('fk_publicity_imports_error_file_id_stored_files')),
    sa.ForeignKeyConstraint(['file_id'], ['stored_files.id'], name=op.f('fk_publicity_imports_file_id_stored_files')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publicity_imports'))
    )
    op.create_index(op.f('ix_publicity_imports_agency_id'), 'publicity_imports', ['agency_id'], unique=False)
    op.create_table('publicity_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('counterpart_name', sa.String(length=200), nullable=False),
    sa.Column('counterpart_category', sa.String(length=20), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('reg_no', sa.String(length=50), nullable=True),
    sa.Column('org_code', sa.String(length=9), nullable=True),
    sa.Column('tax_no', sa.String(length=50), nullable=True),
    sa.Column('institution_no', sa.String(length=50), nullable=True),
    sa.Column('social_org_no', sa.String(length=50), nullable=True),
    sa.Column('legal_rep', sa.String(length=50), nullable=True),
    sa.Column('legal_rep_doc_type', sa.String(length=40), nullable=True),
    sa.Column('legal_rep_doc_no', sa.String(length=64), nullable=True),
    sa.Column('doc_type', sa.String(length=40), nullable=True),
    sa.Column('doc_no', sa.String(length=64), nullable=True),
    sa.Column('decision_no', sa.String(length=64), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('deciding_agency', sa.String(length=200), nullable=False),
    sa.Column('deciding_agency_code', sa.String(length=18), nullable=False),
    sa.Column('source_name', sa.String(length=200), nullable=False),
    sa.Column('source_code', sa.String(length=18), nullable=False),
    sa.Column('remarks', sa.String(length=512), nullable=True),
    sa.Column('document_name', sa.String(length=64), nullable=True),
    sa.Column('licence_category', sa.String(length=40), nullable=True),
    sa.Column('certificate_name', sa.String(length=64), nullable=True),
    sa.Column('licence_no', sa.String(length=64), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('licence_state', sa.String(length=4), nullable=True),
    sa.Column('violation_type', sa.Text(), nullable=True),
    sa.Column('facts', sa.Text(), nullable=True),
    sa.Column('basis', sa.Text(), nullable=True),
    sa.Column('penalty_categories', sa.String(length=200), nullable=True),
    sa.Column('fine_amount', sa.Numeric(precision=18, scale=6), nullable=True),
    sa.Column('confiscated_amount', sa.Numeric(precision=18, scale=6), nullable=True),
    sa.Column('suspended_licence', sa.String(length=200), nullable=True),
    sa.Column('penalty_valid_until', sa.Date(), nullable=True),
    sa.Column('publicity_end', sa.Date(), nullable=True),
    sa.Column('severity', sa.String(length=20), nullable=True),
    sa.Column('simplified_procedure', sa.Boolean(), nullable=False),
    sa.Column('min_until', sa.Date(), nullable=True),
    sa.Column('max_until', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('timeliness', sa.String(length=20), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('due_provisional', sa.Boolean(), nullable=False),
    sa.Column('published_at', UTCDateTime(), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('ended_at', UTCDateTime(), nullable=True),
    sa.Column('end_reason', sa.Text(), nullable=True),
    sa.Column('withdrawal_kind', sa.String(length=20), nullable=True),
    sa.Column('withdraw_due', sa.Date(), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('content_hash', sa.String(length=40), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_publicity_records_agency_id_agencies')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_publicity_records_department_id_departments')),
    sa.ForeignKeyConstraint(['import_id'], ['publicity_imports.id'], name=op.f('fk_publicity_records_import_id_publicity_imports')),
    sa.ForeignKeyConstraint(['matter_id'], ['publicity_matters.id'], name=op.f('fk_publicity_records_matter_id_publicity_matters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publicity_records')),
    sa.UniqueConstraint('agency_id', 'kind', 'decision_no', name=op.f('uq_publicity_records_agency_id_kind_decision_no'))
    )
    op.create_index('ix_publicity_records_agency_decided', 'publicity_records', ['agency_id', 'decision_date'], unique=False)
    op.create_index(op.f('ix_publicity_records_credit_code'), 'publicity_records', ['credit_code'], unique=False)
    op.create_index('ix_publicity_records_decision_no', 'publicity_records', ['decision_no'], unique=False)
    op.create_index(op.f('ix_publicity_records_matter_id'), 'publicity_records', ['matter_id'], unique=False)
    op.create_index('ix_publicity_records_public', 'publicity_records', ['status', 'published_at'], unique=False)
    op.create_index('ix_publicity_records_updated', 'publicity_records', ['updated_at'], unique=False)

    install_search_index(op.get_bind())
    codes, periods, settings = seed_rows()
    meta = sa.MetaData()
    meta.reflect(bind=op.get_bind(), only=("publicity_codes", "publicity_periods", "publicity_settings"))
    op.bulk_insert(meta.tables["publicity_codes"], codes)
    op.bulk_insert(meta.tables["publicity_periods"], periods)
    op.bulk_insert(meta.tables["publicity_settings"], settings)


def downgrade():
    drop_search_index(op.get_bind())


    op.drop_index('ix_publicity_records_updated', table_name='publicity_records')
    op.drop_index('ix_publicity_records_public', table_name='publicity_records')
    op.drop_index(op.f('ix_publicity_records_matter_id'), table_name='publicity_records')
    op.drop_index('ix_publicity_records_decision_no', table_name='publicity_records')
    op.drop_index(op.f('ix_publicity_records_credit_code'), table_name='publicity_records')
    op.drop_index('ix_publicity_records_agency_decided', table_name='publicity_records')
    op.drop_table('publicity_records')
    op.drop_index(op.f('ix_publicity_imports_agency_id'), table_name='publicity_imports')
    op.drop_table('publicity_imports')
    op.drop_index(op.f('ix_publicity_exports_agency_id'), table_name='publicity_exports')
    op.drop_table('publicity_exports')
    op.drop_index(op.f('ix_publicity_catalogue_versions_agency_id'), table_name='publicity_catalogue_versions')
    op.drop_table('publicity_catalogue_versions')
    op.drop_table('publicity_responsibilities')
    op.drop_index(op.f('ix_publicity_matters_agency_id'), table_name='publicity_matters')
    op.drop_table('publicity_matters')
    op.drop_table('publicity_settings')
    op.drop_table('publicity_periods')
    op.drop_table('publicity_codes')
