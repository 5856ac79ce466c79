/* routes.c: THE route table. One row per operation: method, path, auth, handler, operationId.
 * A NULL handler means "not built yet": the server answers 501 in Refold's envelope. */
#include "routes.h"
#include "api/handlers.h"

#include <stddef.h>

#define KEY AUTH_KEY
#define TOK AUTH_TOKEN
#define ANY (AUTH_KEY | AUTH_TOKEN)
#define ADMIN AUTH_ADMIN

const struct route routes[] = {
    /* ---- Applications, auth structure, OAuth, hosted connect ---- */
    {"GET", "/api/v2/public/application", KEY | NEED_LA, h_list_applications, "listApplicationsForLinkedAccount"},
    {"GET", "/api/v2/public/application/{slug}", KEY | NEED_LA, h_get_application, "getApplicationBySlug"},
    {"GET", "/api/v2/public/auth-structure/{slug}", AUTH_NONE, h_get_auth_structure, "getAuthStructureForApp"},
    {"POST", "/api/v2/public/connect-url", ANY | NEED_LA, NULL, "createConnectUrl"},
    {"GET", "/api/v2/public/hosted-properties", TOK | NEED_LA, NULL, "getHostedProperties"},
    {"GET", "/api/v2/public/linked-account/integration/oauth-url/{slug}", KEY | NEED_LA, NULL, "getOAuthUrlForLinkedAccount"},

    /* ---- Credentials ---- */
    {"PUT", "/api/v2/public/linked-account/default-app/auth-credentials/{key}", ANY | NEED_LA, NULL, "upsertDefaultAppAuthCredential"},
    {"DELETE", "/api/v2/public/linked-account/default-app/auth-credentials/{key}", ANY | NEED_LA, NULL, "deleteDefaultAppAuthCredential"},
    {"PUT", "/api/v2/public/linked-account/integration/save-key-credentials/{slug}", KEY | NEED_LA, NULL, "saveKeyBasedAppCredentials"},
    {"PUT", "/api/v2/public/migrate-token", KEY | NEED_LA, NULL, "migrateTokenForLinkedAccount"},

    /* ---- Linked accounts and session tokens ---- */
    {"GET", "/api/v2/public/linked-account", KEY, h_list_linked_accounts, "listLinkedAccounts"},
    {"POST", "/api/v2/public/linked-account", KEY, h_create_linked_account, "createLinkedAccount"},
    {"PUT", "/api/v2/public/linked-account", ANY, h_upsert_linked_account, "upsertLinkedAccount"},
    {"GET", "/api/v2/public/linked-account/{linked_account_id}", ANY, h_get_linked_account, "getLinkedAccountById"},
    {"DELETE", "/api/v2/public/linked-account/{linked_account_id}", KEY, h_delete_linked_account, "deleteLinkedAccount"},
    {"DELETE", "/api/v2/public/linked-account/integration/{slug}", KEY | NEED_LA, NULL, "deleteIntegration"},
    {"GET", "/api/v2/public/session/active-linked-account", TOK, h_active_linked_account, "getLinkedAccountBySessionToken"},
    {"POST", "/api/v2/public/session-token", KEY, h_create_session_token, "generateSessionTokenForLinkedAccount"},
    {"POST", "/api/v2/public/session-token/revoke", TOK, h_revoke_session_token, "revokeLinkedAccountSessionToken"},

    /* ---- Webhook subscriptions ---- */
    {"GET", "/api/v2/public/webhook", KEY, NULL, "listWebhooks"},
    {"POST", "/api/v2/public/webhook", ANY, NULL, "registerWebhook"},
    {"GET", "/api/v2/public/webhook/{id}", KEY, NULL, "getWebhookById"},
    {"PUT", "/api/v2/public/webhook/{id}", ANY, NULL, "updateWebhook"},
    {"DELETE", "/api/v2/public/webhook/{id}", ANY, NULL, "deleteWebhook"},
    {"PUT", "/api/v2/public/webhooks/group/edit", KEY, NULL, "updateWebhooksGroup"},

    /* ---- Events ---- */
    {"GET", "/api/v2/public/application/event", KEY, NULL, "listEvents"},
    {"POST", "/api/v2/public/application/event", KEY, NULL, "createEvent"},
    {"GET", "/api/v2/public/application/event/{event_id}", KEY, NULL, "getEvent"},
    {"PUT", "/api/v2/public/application/event/{event_id}", KEY, NULL, "updateEvent"},
    {"DELETE", "/api/v2/public/application/event/{event_id}", KEY, NULL, "deleteEvent"},
    {"POST", "/api/v2/public/event/{slug}", ANY | NEED_LA, NULL, "triggerEventBySlug"},
    {"POST", "/api/v2/public/event/trigger", ANY | NEED_LA, NULL, "triggerEvent"},

    /* ---- Configs and config fields ---- */
    {"POST", "/api/v2/public/config/field", ANY | NEED_LA, NULL, "getConfigFields"},
    {"POST", "/api/v2/public/config/field/{fieldId}", ANY | NEED_LA, NULL, "getConfigFieldOptions"},
    {"PUT", "/api/v2/public/config/field/{fieldId}", ANY | NEED_LA, NULL, "updateConfigField"},
    {"DELETE", "/api/v2/public/config/field/{fieldId}", ANY | NEED_LA, NULL, "deleteConfigField"},
    {"POST", "/api/v2/public/config/rule-engine/{fieldId}", ANY | NEED_LA, NULL, "getRuleEngineOptions"},
    {"POST", "/api/v2/public/config", KEY | NEED_LA, NULL, "getOrCreateConfig"},
    {"PUT", "/api/v2/public/config", ANY | NEED_LA, NULL, "updateConfig"},
    {"GET", "/api/v2/public/slug/{slug}/config", KEY | NEED_LA, NULL, "getInstalledConfigDefault"},
    {"DELETE", "/api/v2/public/slug/{slug}/config", KEY | NEED_LA, NULL, "deleteConfigDefault"},
    {"GET", "/api/v2/public/slug/{slug}/config/{configId}", KEY | NEED_LA, NULL, "getInstalledConfig"},
    {"DELETE", "/api/v2/public/slug/{slug}/config/{configId}", KEY | NEED_LA, NULL, "deleteConfig"},
    {"PATCH", "/api/v2/public/slug/{slug}/config/{configId}/workflows/{workflowId}", ANY | NEED_LA, NULL, "toggleConfigWorkflow"},
    {"GET", "/api/v2/public/slug/{slug}/configs", ANY | NEED_LA, NULL, "listConfigsForApplication"},

    /* ---- Datarefs and config datastores ---- */
    {"GET", "/api/v2/public/dataref", KEY, NULL, "listDatarefs"},
    {"POST", "/api/v2/public/dataref", KEY, NULL, "createDataref"},
    {"GET", "/api/v2/public/dataref/{refName}", KEY, NULL, "getDatarefAsTable"},
    {"DELETE", "/api/v2/public/dataref/{refName}", KEY, NULL, "deleteDataref"},
    {"PUT", "/api/v2/public/dataref/{refName}/clear-records", KEY, NULL, "clearDatarefRecords"},
    {"PUT", "/api/v2/public/datarefs/group", KEY, NULL, "editDatarefGroup"},
    {"GET", "/api/v2/public/datastore/config/{slug}", KEY | OPT_LA, NULL, "listConfigDatastores"},
    {"GET", "/api/v2/public/datastore/config/{slug}/{datastore_name}/records", KEY | OPT_LA, NULL, "listConfigDatastoreRecords"},
    {"POST", "/api/v2/public/datastore/config/{slug}/{datastore_name}/search", KEY | OPT_LA, NULL, "searchConfigDatastoreRecords"},

    /* ---- Environment variables ---- */
    {"GET", "/api/v2/public/env/definitions", KEY, NULL, "listVariableDefinitions"},
    {"GET", "/api/v2/public/env/definitions/{id}", KEY, NULL, "getVariableDefinition"},
    {"GET", "/api/v2/public/env/value/{definition_id}", ANY | OPT_LA, NULL, "getVariableValue"},
    {"POST", "/api/v2/public/env/values", ANY | OPT_LA, NULL, "setVariableValue"},
    {"GET", "/api/v2/public/env/values/{scope}", ANY | OPT_LA, NULL, "listVariableValuesByScope"},
    {"DELETE", "/api/v2/public/env/values/{value_id}", ANY | OPT_LA, NULL, "deleteVariableValue"},

    /* ---- Executions ---- */
    {"GET", "/api/v2/public/execution", ANY | OPT_LA, NULL, "listExecutions"},
    {"GET", "/api/v2/public/execution/{execution_id}", ANY | OPT_LA, NULL, "getExecutionById"},
    {"GET", "/api/v2/public/execution/{execution_id}/nodes/{node_id}/batches", ANY | OPT_LA, NULL, "listExecutionNodeBatches"},
    {"POST", "/api/v2/public/execution/{instanceId}/stop", ANY | OPT_LA, NULL, "stopExecution"},
    {"POST", "/api/v2/public/execution/{instanceId}/rerun", ANY | OPT_LA, NULL, "rerunExecution"},

    /* ---- Human tasks ---- */
    {"GET", "/api/v2/public/human-tasks/{id}", AUTH_NONE, NULL, "getHumanTask"},
    {"POST", "/api/v2/public/human-tasks/{id}", AUTH_NONE, NULL, "submitHumanTask"},

    /* ---- MCP servers ---- */
    {"GET", "/api/v2/public/mcp-servers", ANY | OPT_LA, NULL, "listMcpServers"},
    {"POST", "/api/v2/public/mcp-servers", ANY | OPT_LA, NULL, "createMcpServer"},
    {"GET", "/api/v2/public/mcp-servers/{mcp_server_id}", ANY | OPT_LA, NULL, "getMcpServer"},
    {"PUT", "/api/v2/public/mcp-servers/{mcp_server_id}", ANY | OPT_LA, NULL, "updateMcpServer"},
    {"DELETE", "/api/v2/public/mcp-servers/{mcp_server_id}", ANY | OPT_LA, NULL, "deleteMcpServer"},

    /* ---- Persistent tables ---- */
    {"GET", "/api/v2/public/tables", KEY | OPT_LA, NULL, "listPersistentTables"},
    {"POST", "/api/v2/public/tables", KEY | OPT_LA, NULL, "createPersistentTable"},
    {"GET", "/api/v2/public/tables/{table_id}", KEY | OPT_LA, NULL, "getPersistentTableRecords"},
    {"PATCH", "/api/v2/public/tables/{table_id}", KEY | OPT_LA, NULL, "addRecordsToPersistentTable"},
    {"DELETE", "/api/v2/public/tables/{table_id}", KEY | OPT_LA, NULL, "deletePersistentTable"},
    {"DELETE", "/api/v2/public/tables/{table_id}/{record_id}", KEY | OPT_LA, NULL, "deletePersistentTableRecord"},
    {"PATCH", "/api/v2/public/tables/{table_id}/columns/add", KEY | OPT_LA, NULL, "addPersistentTableColumns"},
    {"DELETE", "/api/v2/public/tables/{table_id}/columns/remove", KEY | OPT_LA, NULL, "removePersistentTableColumns"},
    {"PATCH", "/api/v2/public/tables/{table_id}/columns/rename", KEY | OPT_LA, NULL, "renamePersistentTableColumns"},
    {"POST", "/api/v2/public/tables/{table_id}/search", KEY | OPT_LA, NULL, "searchPersistentTableRecords"},
    {"PUT", "/api/v2/public/tables/group/edit", KEY, NULL, "editTablesGroup"},

    /* ---- Workflows ---- */
    {"GET", "/api/v2/public/workflow", ANY | OPT_LA, NULL, "listWorkflows"},
    {"POST", "/api/v2/public/workflow", ANY | OPT_LA, NULL, "createWorkflow"},
    {"GET", "/api/v2/public/workflow/{workflowId}", KEY | OPT_LA, NULL, "getWorkflowById"},
    {"DELETE", "/api/v2/public/workflow/{workflowId}", TOK, NULL, "deleteWorkflow"},
    {"GET", "/api/v2/public/workflow/{workflowId}/edit", ANY | OPT_LA, NULL, "getDraftWorkflow"},
    {"POST", "/api/v2/public/workflow/{workflowId}/execute", ANY | OPT_LA, NULL, "executeWorkflow"},
    {"PUT", "/api/v2/public/workflow/{workflowId}/publish", TOK, NULL, "publishWorkflow"},
    {"GET", "/api/v2/public/workflow/enabled", ANY | OPT_LA, NULL, "listEnabledWorkflows"},
    {"GET", "/api/v2/public/workflow/request-structure/{workflowId}", ANY | OPT_LA, NULL, "getWorkflowRequestStructure"},
    {"GET", "/api/v2/public/workflow/versions/{workflowId}", ANY | OPT_LA, NULL, "listWorkflowVersions"},

    /* ---- Schedules ---- */
    {"GET", "/api/v1/workflow/public/scheduled", KEY | OPT_LA, NULL, "listSchedules"},
    {"POST", "/api/v1/workflow/public/scheduled", KEY | OPT_LA, NULL, "registerSchedule"},
    {"PUT", "/api/v1/workflow/public/scheduled/{schedule_id}", KEY | OPT_LA, NULL, "updateSchedule"},
    {"DELETE", "/api/v1/workflow/public/scheduled/{schedule_id}", KEY | OPT_LA, NULL, "deleteSchedule"},
    {"PUT", "/api/v1/workflow/public/scheduled/{schedule_id}/pause", KEY | OPT_LA, NULL, "pauseSchedule"},
    {"PUT", "/api/v1/workflow/public/scheduled/{schedule_id}/resume", KEY | OPT_LA, NULL, "resumeSchedule"},

    /* ---- Actions ---- */
    {"GET", "/api/v2/integration-schema/{slug}/actions", KEY | OPT_LA, NULL, "listActions"},
    {"GET", "/api/v2/integration-schema/{slug}/actions/{action_id}", KEY | OPT_LA, NULL, "getActionSchema"},
    {"POST", "/api/v2/integration-schema/{slug}/actions/{action_id}/execute", KEY | NEED_LA, NULL, "executeAction"},

    /* ---- Frontend SDK (@cobaltio/cobalt-js), session-token auth ---- */

    /* ---- Pages ---- */

    /* ---- The mock's own admin API (CONTRACT.md) ---- */
    {"GET", "/__mock/health", AUTH_NONE, h_admin_health, "mockHealth"},
    {"POST", "/__mock/reset", ADMIN, h_admin_reset, "mockReset"},
    {"GET", "/__mock/clock", ADMIN, h_admin_clock, "mockClock"},
    {"POST", "/__mock/clock/advance", ADMIN, h_admin_clock_advance, "mockClockAdvance"},
    {"GET", "/__mock/requests", ADMIN, h_admin_requests, "mockRequests"},
    {"GET", "/__mock/routes", ADMIN, h_admin_routes, "mockRoutes"},
    {"POST", "/__mock/linked-accounts/{id}/connections/{slug}/expire", ADMIN, NULL, "mockExpireConnection"},
    {"GET", "/__mock/linked-accounts/{id}/connections", ADMIN, NULL, "mockListConnections"},
    {"GET", "/__mock/webhooks/deliveries", ADMIN, NULL, "mockWebhookDeliveries"},
    {"GET", "/__mock/scenario", ADMIN, NULL, "mockScenario"},
    {"POST", "/__mock/scenario", ADMIN, NULL, "mockLoadScenario"},
    {"POST", "/__mock/scenario/steps/{name}", ADMIN, NULL, "mockFireScenarioStep"},
    {"GET", "/__mock/ui", ADMIN, NULL, "mockDashboard"},

    {NULL, NULL, 0, NULL, NULL},
};
