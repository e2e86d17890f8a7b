@entra
Feature: Entra ID provisions a user from assignment to hard delete

  # entra-wire.md §1.0–§1.2 (match, then POST), §1.3 (update), §1.5 (disable), §1.7 (delete)
  Scenario: create, update, disable and hard delete a user
    Given an Entra ID tenant
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | mailNickname      | alice             |
      | givenName         | Alice             |
      | surname           | Smith             |
      | displayName       | Alice Smith       |
      | mail              | alice@contoso.com |
      | department        | Retail            |
      | accountEnabled    | true              |
    And "alice" is assigned to the app
    When the provisioning cycle runs
    Then the IdP sent:
      | method | path   |
      | GET    | /Users |
      | GET    | /Users |
      | POST   | /Users |
    And the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" equal to "Retail"
    When "alice"'s "department" is changed to "Sales"
    And the provisioning cycle runs
    Then the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" equal to "Sales"
    When "alice" is disabled
    And the provisioning cycle runs
    Then the target has the user "alice" inactive
    And every response conforms
    And the responses match the snapshot
