/* handlers.h: every route handler (the functions routes.c names), grouped by the file that
 * defines it: public API (api/), pages (pages/), admin API (admin/). */
#ifndef HANDLERS_H
#define HANDLERS_H

#include "mock.h"

/* api/actions.c */
int h_list_actions(req *r);
int h_get_action_schema(req *r);
int h_execute_action(req *r);

/* api/applications.c */
int h_list_applications(req *r);
int h_get_application(req *r);
int h_get_auth_structure(req *r);

/* api/config_fields.c */
int h_get_config_fields(req *r);
int h_get_config_field(req *r);
int h_update_config_field(req *r);
int h_delete_config_field(req *r);
int h_get_rule_engine_options(req *r);

/* api/configs.c */
int h_get_or_create_config(req *r);
int h_update_config(req *r);
int h_get_config_default(req *r);
int h_get_config(req *r);
int h_delete_config_default(req *r);
int h_delete_config(req *r);
int h_toggle_config_workflow(req *r);
int h_list_configs(req *r);

/* api/credentials.c */
int h_save_key_credentials(req *r);
int h_migrate_token(req *r);
int h_upsert_default_app_credential(req *r);
int h_delete_default_app_credential(req *r);
int h_delete_integration(req *r);

/* api/datarefs_api.c */
int h_list_datarefs(req *r);
int h_create_dataref(req *r);
int h_get_dataref_table(req *r);
int h_delete_dataref(req *r);
int h_clear_dataref(req *r);
int h_edit_dataref_group(req *r);

/* api/datastores.c */
int h_list_config_datastores(req *r);
int h_list_config_datastore_records(req *r);
int h_search_config_datastore(req *r);

/* api/env_vars.c */
int h_list_env_definitions(req *r);
int h_get_env_definition(req *r);
int h_get_env_value(req *r);
int h_set_env_value(req *r);
int h_list_env_values(req *r);
int h_delete_env_value(req *r);

/* api/events.c */
int h_list_events(req *r);
int h_create_event(req *r);
int h_get_event(req *r);
int h_update_event(req *r);
int h_delete_event(req *r);
int h_trigger_event(req *r);
int h_trigger_event_by_slug(req *r);

/* api/executions_api.c */
int h_list_executions(req *r);
int h_get_execution(req *r);
int h_list_execution_batches(req *r);
int h_stop_execution(req *r);
int h_rerun_execution(req *r);

/* api/hosted.c */
int h_create_connect_url(req *r);
int h_get_hosted_properties(req *r);
int h_get_oauth_url(req *r);

/* api/human_tasks.c */
int h_get_human_task(req *r);
int h_submit_human_task(req *r);

/* api/linked_accounts_api.c */
int h_list_linked_accounts(req *r);
int h_create_linked_account(req *r);
int h_upsert_linked_account(req *r);
int h_get_linked_account(req *r);
int h_delete_linked_account(req *r);
int h_delete_linked_account_by_query(req *r);
int h_active_linked_account(req *r);

/* api/mcp.c */
int h_mcp(req *r);

/* api/mcp_servers.c */
int h_list_mcp_servers(req *r);
int h_create_mcp_server(req *r);
int h_get_mcp_server(req *r);
int h_update_mcp_server(req *r);
int h_delete_mcp_server(req *r);

/* api/schedules_api.c */
int h_list_schedules(req *r);
int h_register_schedule(req *r);
int h_update_schedule(req *r);
int h_delete_schedule(req *r);
int h_pause_schedule(req *r);
int h_resume_schedule(req *r);

/* api/sdk.c */
int h_sdk_org_basics(req *r);
int h_sdk_list_apps(req *r);
int h_sdk_get_app(req *r);
int h_sdk_integrate(req *r);
int h_sdk_integrate_post(req *r);
int h_sdk_uc_integrate(req *r);
int h_sdk_uc_integrate_post(req *r);
int h_sdk_uc_save(req *r);
int h_sdk_uc_revoke(req *r);
int h_sdk_ecosystem_lead(req *r);
int h_sdk_save(req *r);
int h_sdk_disconnect(req *r);
int h_sdk_config(req *r);
int h_sdk_update_config(req *r);
int h_sdk_get_config(req *r);
int h_sdk_delete_config(req *r);

/* api/session_tokens.c */
int h_create_session_token(req *r);
int h_revoke_session_token(req *r);

/* api/tables.c */
int h_list_tables(req *r);
int h_create_table(req *r);
int h_get_table_records(req *r);
int h_add_table_records(req *r);
int h_delete_table(req *r);
int h_delete_table_record(req *r);
int h_add_table_columns(req *r);
int h_remove_table_columns(req *r);
int h_rename_table_columns(req *r);
int h_search_table_records(req *r);
int h_edit_tables_group(req *r);

/* api/subscriptions_api.c */
int h_list_webhooks(req *r);
int h_register_webhook(req *r);
int h_get_webhook(req *r);
int h_update_webhook(req *r);
int h_delete_webhook(req *r);
int h_subscribe_webhook_events(req *r);
int h_unsubscribe_webhook_event(req *r);
int h_delete_first_webhook(req *r);
int h_update_webhooks_group(req *r);

/* api/workflows.c */
int h_list_workflows(req *r);
int h_create_workflow(req *r);
int h_get_workflow(req *r);
int h_delete_workflow(req *r);
int h_get_draft_workflow(req *r);
int h_execute_workflow(req *r);
int h_publish_workflow(req *r);
int h_list_enabled_workflows(req *r);
int h_get_workflow_request_structure(req *r);
int h_list_workflow_versions(req *r);

/* pages/assets.c */
int h_page_asset(req *r);

/* pages/connect_page.c */
int h_page_connect(req *r);
int h_page_connect_app(req *r);
int h_page_connect_submit(req *r);

/* pages/oauth_page.c */
int h_page_consent(req *r);
int h_page_consent_decide(req *r);

/* admin/admin.c */
int h_admin_health(req *r);
int h_admin_reset(req *r);
int h_admin_clock(req *r);
int h_admin_clock_advance(req *r);
int h_admin_routes(req *r);

/* admin/admin_connections.c */
int h_admin_expire_connection(req *r);
int h_admin_list_connections(req *r);
int h_admin_webhook_deliveries(req *r);

/* admin/admin_dashboard.c */
int h_admin_dashboard(req *r);

/* admin/admin_datarefs.c */
int h_admin_dataref_records(req *r);

/* admin/admin_requests.c */
int h_admin_requests(req *r);
int h_admin_requests_count(req *r);
int h_admin_requests_clear(req *r);
/* admin/admin_mcp_logs.c */
int h_admin_mcp_logs(req *r);

/* admin/admin_pats.c */
int h_admin_mint_pat(req *r);
int h_admin_get_pat(req *r);
int h_admin_revoke_pat(req *r);

/* admin/admin_scenario.c */
int h_admin_scenario(req *r);
int h_admin_scenario_load(req *r);
int h_admin_scenario_step(req *r);

/* admin/admin_tenants.c */
int h_admin_tenants(req *r);
int h_admin_tenant_create(req *r);
int h_admin_tenant_delete(req *r);

#endif
