/* routes.c: THE route table. One row per operation: method, path, auth, handler, operationId.
 * A NULL handler means "not built yet": the server answers 501 in Refold's envelope. */
#include "routes.h"
#include "handlers.h"

#include <stddef.h>

#define KEY AUTH_KEY
#define TOK AUTH_TOKEN
#define ANY (AUTH_KEY | AUTH_TOKEN)
#define ADMIN AUTH_ADMIN

const struct route routes[] = {
    /* ---- Applications, auth structure, OAuth, hosted connect ---- */
    {"GET", "/api/v2/public/application", KEY | NEED_LA | MEMO, h_list_applications, "listApplicationsForLinkedAccount"},
    {"GET", "/api/v2/public/application/{slug}", KEY | NEED_LA | MEMO, h_get_application, "getApplicationBySlug"},
    {"GET", "/api/v2/public/auth-structure/{slug}", AUTH_NONE | MEMO, h_get_auth_structure, "getAuthStructureForApp"},
    {"POST", "/api/v2/public/connect-url", ANY | NEED_LA, h_create_connect_url, "createConnectUrl"},
    {"GET", "/api/v2/public/hosted-properties", TOK | NEED_LA, h_get_hosted_properties, "getHostedProperties"},
    {"GET", "/api/v2/public/linked-account/integration/oauth-url/{slug}", KEY | NEED_LA, h_get_oauth_url, "getOAuthUrlForLinkedAccount"},

    /* ---- Credentials ---- */
    {"PUT", "/api/v2/public/linked-account/default-app/auth-credentials/{key}", ANY | NEED_LA | SECRET_BODY, h_upsert_default_app_credential, "upsertDefaultAppAuthCredential"},
    {"DELETE", "/api/v2/public/linked-account/default-app/auth-credentials/{key}", ANY | NEED_LA, h_delete_default_app_credential, "deleteDefaultAppAuthCredential"},
    {"PUT", "/api/v2/public/linked-account/integration/save-key-credentials/{slug}", KEY | NEED_LA | SECRET_BODY, h_save_key_credentials, "saveKeyBasedAppCredentials"},
    {"PUT", "/api/v2/public/migrate-token", KEY | NEED_LA | SECRET_BODY, h_migrate_token, "migrateTokenForLinkedAccount"},

    /* ---- Linked accounts and session tokens ---- */
    {"GET", "/api/v2/public/linked-account", KEY, h_list_linked_accounts, "listLinkedAccounts"},
    {"POST", "/api/v2/public/linked-account", KEY, h_create_linked_account, "createLinkedAccount"},
    {"PUT", "/api/v2/public/linked-account", ANY, h_upsert_linked_account, "upsertLinkedAccount"},
    {"GET", "/api/v2/public/linked-account/{linked_account_id}", ANY, h_get_linked_account, "getLinkedAccountById"},
    {"DELETE", "/api/v2/public/linked-account/{linked_account_id}", KEY, h_delete_linked_account, "deleteLinkedAccount"},
    {"DELETE", "/api/v2/public/linked-account/integration/{slug}", KEY | NEED_LA, h_delete_integration, "deleteIntegration"},
    {"GET", "/api/v2/public/session/active-linked-account", TOK, h_active_linked_account, "getLinkedAccountBySessionToken"},
    {"POST", "/api/v2/public/session-token", KEY, h_create_session_token, "generateSessionTokenForLinkedAccount"},
    {"POST", "/api/v2/public/session-token/revoke", TOK, h_revoke_session_token, "revokeLinkedAccountSessionToken"},

    /* ---- Webhook subscriptions ---- */
    {"GET", "/api/v2/public/webhook", KEY, h_list_webhooks, "listWebhooks"},
    {"POST", "/api/v2/public/webhook", ANY, h_register_webhook, "registerWebhook"},
    {"GET", "/api/v2/public/webhook/{id}", KEY, h_get_webhook, "getWebhookById"},
    {"PUT", "/api/v2/public/webhook/{id}", ANY, h_update_webhook, "updateWebhook"},
    {"DELETE", "/api/v2/public/webhook/{id}", ANY, h_delete_webhook, "deleteWebhook"},
    {"PUT", "/api/v2/public/webhooks/group/edit", KEY, h_update_webhooks_group, "updateWebhooksGroup"},

    /* ---- Events ---- */
    {"GET", "/api/v2/public/application/event", KEY, h_list_events, "listEvents"},
    {"POST", "/api/v2/public/application/event", KEY, h_create_event, "createEvent"},
    {"GET", "/api/v2/public/application/event/{event_id}", KEY, h_get_event, "getEvent"},
    {"PUT", "/api/v2/public/application/event/{event_id}", KEY, h_update_event, "updateEvent"},
    {"DELETE", "/api/v2/public/application/event/{event_id}", KEY, h_delete_event, "deleteEvent"},
    {"POST", "/api/v2/public/event/{slug}", ANY | NEED_LA | FORM_BODY, h_trigger_event_by_slug, "triggerEventBySlug"},
    {"POST", "/api/v2/public/event/trigger", ANY | NEED_LA, h_trigger_event, "triggerEvent"},

    /* ---- Configs and config fields ---- */
    {"POST", "/api/v2/public/config/field", ANY | NEED_LA, h_get_config_fields, "getConfigFields"},
    {"POST", "/api/v2/public/config/field/{fieldId}", ANY | NEED_LA, h_get_config_field, "getConfigFieldOptions"},
    {"PUT", "/api/v2/public/config/field/{fieldId}", ANY | NEED_LA, h_update_config_field, "updateConfigField"},
    {"DELETE", "/api/v2/public/config/field/{fieldId}", ANY | NEED_LA, h_delete_config_field, "deleteConfigField"},
    {"POST", "/api/v2/public/config/rule-engine/{fieldId}", ANY | NEED_LA, h_get_rule_engine_options, "getRuleEngineOptions"},
    {"POST", "/api/v2/public/config", KEY | NEED_LA, h_get_or_create_config, "getOrCreateConfig"},
    {"PUT", "/api/v2/public/config", ANY | NEED_LA, h_update_config, "updateConfig"},
    {"GET", "/api/v2/public/slug/{slug}/config", KEY | NEED_LA, h_get_config_default, "getInstalledConfigDefault"},
    {"DELETE", "/api/v2/public/slug/{slug}/config", KEY | NEED_LA, h_delete_config_default, "deleteConfigDefault"},
    {"GET", "/api/v2/public/slug/{slug}/config/{configId}", KEY | NEED_LA, h_get_config, "getInstalledConfig"},
    {"DELETE", "/api/v2/public/slug/{slug}/config/{configId}", KEY | NEED_LA, h_delete_config, "deleteConfig"},
    {"PATCH", "/api/v2/public/slug/{slug}/config/{configId}/workflows/{workflowId}", ANY | NEED_LA, h_toggle_config_workflow, "toggleConfigWorkflow"},
    {"GET", "/api/v2/public/slug/{slug}/configs", ANY | NEED_LA, h_list_configs, "listConfigsForApplication"},

    /* ---- Datarefs and config datastores ---- */
    {"GET", "/api/v2/public/dataref", KEY | OPT_LA, h_list_datarefs, "listDatarefs"},
    {"POST", "/api/v2/public/dataref", KEY | OPT_LA, h_create_dataref, "createDataref"},
    {"GET", "/api/v2/public/dataref/{refName}", KEY | OPT_LA, h_get_dataref_table, "getDatarefAsTable"},
    {"DELETE", "/api/v2/public/dataref/{refName}", KEY | OPT_LA, h_delete_dataref, "deleteDataref"},
    {"PUT", "/api/v2/public/dataref/{refName}/clear-records", KEY | OPT_LA, h_clear_dataref, "clearDatarefRecords"},
    {"PUT", "/api/v2/public/datarefs/group", KEY | OPT_LA, h_edit_dataref_group, "editDatarefGroup"},
    {"GET", "/api/v2/public/datastore/config/{slug}", KEY | OPT_LA | DEPRECATED, h_list_config_datastores, "listConfigDatastores"},
    {"GET", "/api/v2/public/datastore/config/{slug}/{datastore_name}/records", KEY | OPT_LA | DEPRECATED, h_list_config_datastore_records, "listConfigDatastoreRecords"},
    {"POST", "/api/v2/public/datastore/config/{slug}/{datastore_name}/search", KEY | OPT_LA | DEPRECATED, h_search_config_datastore, "searchConfigDatastoreRecords"},

    /* ---- Environment variables ---- */
    {"GET", "/api/v2/public/env/definitions", KEY, h_list_env_definitions, "listVariableDefinitions"},
    {"GET", "/api/v2/public/env/definitions/{id}", KEY, h_get_env_definition, "getVariableDefinition"},
    {"GET", "/api/v2/public/env/value/{definition_id}", ANY | OPT_LA, h_get_env_value, "getVariableValue"},
    {"POST", "/api/v2/public/env/values", ANY | OPT_LA, h_set_env_value, "setVariableValue"},
    {"GET", "/api/v2/public/env/values/{scope}", ANY | OPT_LA, h_list_env_values, "listVariableValuesByScope"},
    {"DELETE", "/api/v2/public/env/values/{value_id}", ANY | OPT_LA, h_delete_env_value, "deleteVariableValue"},

    /* ---- Executions ---- */
    {"GET", "/api/v2/public/execution", ANY | OPT_LA, h_list_executions, "listExecutions"},
    {"GET", "/api/v2/public/execution/{execution_id}", ANY | OPT_LA, h_get_execution, "getExecutionById"},
    {"GET", "/api/v2/public/execution/{execution_id}/nodes/{node_id}/batches", ANY | OPT_LA, h_list_execution_batches, "listExecutionNodeBatches"},
    {"POST", "/api/v2/public/execution/{instanceId}/stop", ANY | OPT_LA, h_stop_execution, "stopExecution"},
    {"POST", "/api/v2/public/execution/{instanceId}/rerun", ANY | OPT_LA, h_rerun_execution, "rerunExecution"},

    /* ---- Human tasks ---- */
    {"GET", "/api/v2/public/human-tasks/{id}", AUTH_NONE, h_get_human_task, "getHumanTask"},
    {"POST", "/api/v2/public/human-tasks/{id}", AUTH_NONE, h_submit_human_task, "submitHumanTask"},

    /* ---- MCP servers ---- */
    {"GET", "/api/v2/public/mcp-servers", ANY | OPT_LA, h_list_mcp_servers, "listMcpServers"},
    {"POST", "/api/v2/public/mcp-servers", ANY | OPT_LA, h_create_mcp_server, "createMcpServer"},
    {"GET", "/api/v2/public/mcp-servers/{mcp_server_id}", ANY | OPT_LA, h_get_mcp_server, "getMcpServer"},
    {"PUT", "/api/v2/public/mcp-servers/{mcp_server_id}", ANY | OPT_LA, h_update_mcp_server, "updateMcpServer"},
    {"DELETE", "/api/v2/public/mcp-servers/{mcp_server_id}", ANY | OPT_LA, h_delete_mcp_server, "deleteMcpServer"},

    /* ---- The MCP endpoint (Streamable HTTP): the token in the path or in Authorization ---- */
    {"POST", "/mcp/v1/{token}/{server_id}", AUTH_NONE | RAW_BODY, h_mcp, "mcpEndpoint"},
    {"POST", "/mcp/v1/{server_id}", AUTH_NONE | RAW_BODY, h_mcp, "mcpEndpointBearer"},
    {"POST", "/mcp/v1", AUTH_NONE | RAW_BODY, h_mcp, "mcpEndpointNoServer"}, /* 401: no server id */

    /* ---- Persistent tables ---- */
    {"GET", "/api/v2/public/tables", KEY | OPT_LA, h_list_tables, "listPersistentTables"},
    {"POST", "/api/v2/public/tables", KEY | OPT_LA, h_create_table, "createPersistentTable"},
    {"GET", "/api/v2/public/tables/{table_id}", KEY | OPT_LA, h_get_table_records, "getPersistentTableRecords"},
    {"PATCH", "/api/v2/public/tables/{table_id}", KEY | OPT_LA, h_add_table_records, "addRecordsToPersistentTable"},
    {"DELETE", "/api/v2/public/tables/{table_id}", KEY | OPT_LA, h_delete_table, "deletePersistentTable"},
    {"DELETE", "/api/v2/public/tables/{table_id}/{record_id}", KEY | OPT_LA, h_delete_table_record, "deletePersistentTableRecord"},
    {"PATCH", "/api/v2/public/tables/{table_id}/columns/add", KEY | OPT_LA, h_add_table_columns, "addPersistentTableColumns"},
    {"DELETE", "/api/v2/public/tables/{table_id}/columns/remove", KEY | OPT_LA, h_remove_table_columns, "removePersistentTableColumns"},
    {"PATCH", "/api/v2/public/tables/{table_id}/columns/rename", KEY | OPT_LA, h_rename_table_columns, "renamePersistentTableColumns"},
    {"POST", "/api/v2/public/tables/{table_id}/search", KEY | OPT_LA, h_search_table_records, "searchPersistentTableRecords"},
    {"PUT", "/api/v2/public/tables/group/edit", KEY | OPT_LA, h_edit_tables_group, "editTablesGroup"},

    /* ---- Workflows ---- */
    {"GET", "/api/v2/public/workflow", ANY | OPT_LA, h_list_workflows, "listWorkflows"},
    {"POST", "/api/v2/public/workflow", ANY | OPT_LA, h_create_workflow, "createWorkflow"},
    {"GET", "/api/v2/public/workflow/{workflowId}", KEY | OPT_LA, h_get_workflow, "getWorkflowById"},
    {"DELETE", "/api/v2/public/workflow/{workflowId}", TOK | WF_SERVICE_AUTH, h_delete_workflow, "deleteWorkflow"},
    {"GET", "/api/v2/public/workflow/{workflowId}/edit", ANY | OPT_LA, h_get_draft_workflow, "getDraftWorkflow"},
    {"POST", "/api/v2/public/workflow/{workflowId}/execute", ANY | OPT_LA, h_execute_workflow, "executeWorkflow"},
    {"PUT", "/api/v2/public/workflow/{workflowId}/publish", TOK | WF_SERVICE_AUTH, h_publish_workflow, "publishWorkflow"},
    {"GET", "/api/v2/public/workflow/enabled", ANY | OPT_LA, h_list_enabled_workflows, "listEnabledWorkflows"},
    {"GET", "/api/v2/public/workflow/request-structure/{workflowId}", ANY | OPT_LA, h_get_workflow_request_structure, "getWorkflowRequestStructure"},
    {"GET", "/api/v2/public/workflow/versions/{workflowId}", ANY | OPT_LA, h_list_workflow_versions, "listWorkflowVersions"},

    /* ---- Schedules ---- */
    {"GET", "/api/v1/workflow/public/scheduled", KEY | OPT_LA, h_list_schedules, "listSchedules"},
    {"POST", "/api/v1/workflow/public/scheduled", KEY | OPT_LA, h_register_schedule, "registerSchedule"},
    {"PUT", "/api/v1/workflow/public/scheduled/{schedule_id}", KEY | OPT_LA, h_update_schedule, "updateSchedule"},
    {"DELETE", "/api/v1/workflow/public/scheduled/{schedule_id}", KEY | OPT_LA, h_delete_schedule, "deleteSchedule"},
    {"PUT", "/api/v1/workflow/public/scheduled/{schedule_id}/pause", KEY | OPT_LA, h_pause_schedule, "pauseSchedule"},
    {"PUT", "/api/v1/workflow/public/scheduled/{schedule_id}/resume", KEY | OPT_LA, h_resume_schedule, "resumeSchedule"},

    /* ---- Actions ---- */
    {"GET", "/api/v2/integration-schema/{slug}/actions", KEY | OPT_LA, h_list_actions, "listActions"},
    {"GET", "/api/v2/integration-schema/{slug}/actions/{action_id}", KEY | OPT_LA, h_get_action_schema, "getActionSchema"},
    {"POST", "/api/v2/integration-schema/{slug}/actions/{action_id}/execute", KEY | NEED_LA, h_execute_action, "executeAction"},

    /* ---- Frontend SDK (@cobaltio/cobalt-js), session-token auth ---- */
    {"GET", "/api/v3/org/basics", TOK | NEED_LA, h_sdk_org_basics, "sdkGetAccountDetails"},
    {"GET", "/api/v2/f-sdk/application", TOK | NEED_LA | MEMO, h_sdk_list_apps, "sdkGetApps"},
    {"GET", "/api/v2/f-sdk/application/{slug}", TOK | NEED_LA | MEMO, h_sdk_get_app, "sdkGetApp"},
    {"GET", "/api/v1/{slug}/integrate", TOK | NEED_LA, h_sdk_integrate, "sdkGetOAuthUrl"},
    {"POST", "/api/v2/app/{slug}/save", TOK | NEED_LA | SECRET_BODY, h_sdk_save, "sdkSaveKeyCredentials"},
    {"DELETE", "/api/v1/linked-acc/integration/{slug}", TOK | NEED_LA, h_sdk_disconnect, "sdkDisconnect"},
    {"POST", "/api/v2/f-sdk/config", TOK | NEED_LA, h_sdk_config, "sdkConfig"},
    {"PUT", "/api/v2/f-sdk/config", TOK | NEED_LA, h_sdk_update_config, "sdkUpdateConfig"},
    {"GET", "/api/v2/f-sdk/slug/{slug}/config", TOK | NEED_LA, h_sdk_get_config, "sdkGetConfigDefault"},
    {"GET", "/api/v2/f-sdk/slug/{slug}/config/{configId}", TOK | NEED_LA, h_sdk_get_config, "sdkGetConfig"},
    {"DELETE", "/api/v2/f-sdk/slug/{slug}/config", TOK | NEED_LA, h_sdk_delete_config, "sdkDeleteConfigDefault"},
    {"DELETE", "/api/v2/f-sdk/slug/{slug}/config/{configId}", TOK | NEED_LA, h_sdk_delete_config, "sdkDeleteConfig"},

    /* ---- Pages ---- */
    {"GET", "/connect/{token}", AUTH_NONE, h_page_connect, "pageHostedConnect"},
    {"GET", "/connect/{token}/{slug}", AUTH_NONE, h_page_connect_app, "pageHostedConnectApp"},
    {"POST", "/connect/{token}/{slug}", AUTH_NONE | RAW_BODY | SECRET_BODY, h_page_connect_submit, "pageHostedConnectSubmit"},
    {"GET", "/oauth/{slug}/authorize", AUTH_NONE, h_page_consent, "pageOAuthConsent"},
    {"POST", "/oauth/{slug}/authorize", AUTH_NONE | RAW_BODY, h_page_consent_decide, "pageOAuthDecision"},

    /* ---- The mock's own admin API, /__mock (handlers in admin/) ---- */
    {"GET", "/__mock/health", AUTH_NONE, h_admin_health, "mockHealth"},
    {"POST", "/__mock/reset", ADMIN, h_admin_reset, "mockReset"},
    {"GET", "/__mock/clock", ADMIN, h_admin_clock, "mockClock"},
    {"POST", "/__mock/clock/advance", ADMIN, h_admin_clock_advance, "mockClockAdvance"},
    {"GET", "/__mock/requests", ADMIN, h_admin_requests, "mockRequests"},
    {"GET", "/__mock/requests/count", ADMIN, h_admin_requests_count, "mockRequestsCount"},
    {"DELETE", "/__mock/requests", ADMIN, h_admin_requests_clear, "mockClearRequests"},
    {"GET", "/__mock/routes", ADMIN, h_admin_routes, "mockRoutes"},
    {"POST", "/__mock/linked-accounts/{id}/connections/{slug}/expire", ADMIN, h_admin_expire_connection, "mockExpireConnection"},
    {"GET", "/__mock/linked-accounts/{id}/connections", ADMIN, h_admin_list_connections, "mockListConnections"},
    {"GET", "/__mock/webhooks/deliveries", ADMIN, h_admin_webhook_deliveries, "mockWebhookDeliveries"},
    {"GET", "/__mock/scenario", ADMIN, h_admin_scenario, "mockScenario"},
    {"POST", "/__mock/scenario", ADMIN | RAW_BODY, h_admin_scenario_load, "mockLoadScenario"}, /* parsed by the handler: errors give lines */
    {"POST", "/__mock/scenario/steps/{name}", ADMIN, h_admin_scenario_step, "mockFireScenarioStep"},
    {"POST", "/__mock/linked-accounts/{id}/personal-access-token", ADMIN, h_admin_mint_pat, "mockMintPat"},
    {"GET", "/__mock/linked-accounts/{id}/personal-access-token", ADMIN, h_admin_get_pat, "mockGetPat"},
    {"DELETE", "/__mock/linked-accounts/{id}/personal-access-token", ADMIN, h_admin_revoke_pat, "mockRevokePat"},
    {"GET", "/__mock/mcp/logs", ADMIN, h_admin_mcp_logs, "mockMcpLogs"},
    {"GET", "/__mock/tenants", ADMIN, h_admin_tenants, "mockTenants"},
    {"POST", "/__mock/tenants", ADMIN, h_admin_tenant_create, "mockCreateTenant"},
    {"DELETE", "/__mock/tenants/{key}", ADMIN, h_admin_tenant_delete, "mockDropTenant"},
    {"POST", "/__mock/datarefs/{refName}/records", ADMIN | OPT_LA, h_admin_dataref_records, "mockAddDatarefRecords"},
    {"GET", "/__mock/ui", ADMIN | QUERY_ADMIN_TOKEN, h_admin_dashboard, "mockDashboard"},
    {"GET", "/__mock/assets/{name}", AUTH_NONE, h_page_asset, "mockAsset"},

    {NULL, NULL, 0, NULL, NULL},
};

int routes_count(void)
{
    int n = 0;
    while (routes[n].method)
        n++;
    return n;
}
