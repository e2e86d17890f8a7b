@entra
Feature: A mapping applied "Only during object creation" flows in the POST and never again

  # entra-wire.md §3.1 ("Apply this mapping": Only during object creation, Graph flowType
  # ObjectAddOnly), §1.2 (the POST)
  Scenario: a create-only mapping flows when the user is created
    Given an Entra ID tenant
    And the mapping "department" -> "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" applied on create only
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | department        | Retail            |
    And "alice" is assigned to the app
    When the provisioning cycle runs
    Then the last request body includes:
      """
      {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Retail"}}
      """
    And the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" equal to "Retail"
    And the responses match the snapshot

  # entra-wire.md §3.1 (ObjectAddOnly: not on updates), §1.3 (the update reads the user and
  # PATCHes only what the Always mappings want)
  Scenario: a later change to a create-only attribute is not sent
    Given an Entra ID tenant
    And the mapping "department" -> "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" applied on create only
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | displayName       | Alice Smith       |
      | department        | Retail            |
    And "alice" is assigned to the app
    And the provisioning cycle runs
    When "alice"'s "department" is changed to "Sales"
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
    When "alice"'s "department" is changed to "Marketing"
    And "alice"'s "displayName" is changed to "Alice Jones"
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {"Operations": [{"op": "Replace", "path": "displayName", "value": "Alice Jones"}]}
      """
    And the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" equal to "Retail"
    And the responses match the snapshot

  # entra-wire.md §3.1 (ObjectAddOnly flows only when Entra creates the object), §1.0 (a user
  # the match query finds is linked and updated, not created)
  Scenario: a user matched in the app never gets the create-only value
    Given the target already has the user "alice@contoso.com"
    And an Entra ID tenant
    And the mapping "department" -> "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" applied on create only
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | displayName       | Alice Smith       |
      | department        | Retail            |
    And "alice" is assigned to the app
    When the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users      |
      | GET    | /Users      |
      | PATCH  | /Users/{id} |
    And the target has the user "alice" with "displayName" equal to "Alice Smith"
    And the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" absent
    And the responses match the snapshot
