@entra
Feature: Restarting provisioning starts an initial cycle; a reset scope decides what it forgets

  Background:
    Given an Entra ID tenant
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
    And the user "bob" with:
      | attribute         | value           |
      | userPrincipalName | bob@contoso.com |
    And "alice" is assigned to the app
    And "bob" is assigned to the app
    And the provisioning cycle runs

  # entra-wire.md §1.14 (the portal's restart clears the watermark, escrows and quarantine
  # but keeps the object connections: the initial cycle reads every user by its cached id),
  # §1.1 (a new run starts with Test Connection)
  Scenario: a portal restart re-reads every linked user by id
    When provisioning is restarted
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        | query                       |
      | GET    | /Users      | filter=userName eq "{guid}" |
      | GET    | /Users/{id} |                             |
      | GET    | /Users/{id} |                             |
    And the responses match the snapshot

  # entra-wire.md §1.14 (an incremental cycle reads only what changed since the watermark)
  Scenario: without a restart nothing unchanged is read
    When the provisioning cycle runs
    Then the IdP sent nothing
    And the responses match the snapshot

  # entra-wire.md §1.14 (resetScope Full also forgets the links, which forces re-matching
  # with the GET filter), §1.0 (a hit links the user again; nothing differs, so no PATCH)
  Scenario: a restart with the reset scope Full matches every user again
    When provisioning is restarted with the reset scope "Full"
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path   | query                                  |
      | GET    | /Users | filter=userName eq "{guid}"            |
      | GET    | /Users | filter=userName eq "alice@contoso.com" |
      | GET    | /Users | filter=userName eq "bob@contoso.com"   |
    And the responses match the snapshot

  # entra-wire.md §1.14 (ConnectorDataStore clears the object connections: matching again)
  Scenario: a restart with the reset scope ConnectorDataStore matches every user again
    When provisioning is restarted with the reset scope "ConnectorDataStore"
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path   | query                                  |
      | GET    | /Users | filter=userName eq "{guid}"            |
      | GET    | /Users | filter=userName eq "alice@contoso.com" |
      | GET    | /Users | filter=userName eq "bob@contoso.com"   |
    And the responses match the snapshot

  # entra-wire.md §1.14 (Watermark alone: the next cycle is an initial one over the cached
  # ids), §1.3 (a change made meanwhile is PATCHed)
  Scenario: a restart with the reset scope Watermark reads by id and sends what changed
    When "alice"'s "displayName" is changed to "Alice Smith"
    And provisioning is restarted with the reset scope "Watermark"
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        | query                       |
      | GET    | /Users      | filter=userName eq "{guid}" |
      | GET    | /Users/{id} |                             |
      | PATCH  | /Users/{id} |                             |
      | GET    | /Users/{id} |                             |
    And the responses match the snapshot
