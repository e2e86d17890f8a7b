@entra
Feature: "Default value if null" is used when a user is created, never on updates

  # entra-wire.md §3.1 ("Default value if null": used only when the object is created),
  # §1.2 (the POST carries the mapped values)
  Scenario: a user created without a job title gets the default
    Given an Entra ID tenant
    And the mapping "jobTitle" -> "title" with default "Staff"
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
    And "alice" is assigned to the app
    When the provisioning cycle runs
    Then the IdP sent:
      | method | path   |
      | GET    | /Users |
      | GET    | /Users |
      | POST   | /Users |
    And the last request body includes:
      """
      {"userName": "alice@contoso.com", "title": "Staff"}
      """
    And the target has the user "alice" with "title" equal to "Staff"
    And the responses match the snapshot

  # entra-wire.md §3.1 (the default is used only on creation), §1.4 (a cleared source
  # attribute sends nothing: the default does not step in, the app keeps the old value)
  Scenario: a job title cleared after creation does not bring the default
    Given an Entra ID tenant
    And the mapping "jobTitle" -> "title" with default "Staff"
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | jobTitle          | Buyer             |
    And "alice" is assigned to the app
    And the provisioning cycle runs
    When "alice"'s "jobTitle" is cleared
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
    And the target has the user "alice" with "title" equal to "Buyer"
    And the responses match the snapshot

  # entra-wire.md §3.1 (after creation the mapping flows like any other), §1.3 (Replace of
  # the defaulted value)
  Scenario: a job title set after creation replaces the default
    Given an Entra ID tenant
    And the mapping "jobTitle" -> "title" with default "Staff"
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
    And "alice" is assigned to the app
    And the provisioning cycle runs
    When "alice"'s "jobTitle" is changed to "Buyer"
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {"Operations": [{"op": "Replace", "path": "title", "value": "Buyer"}]}
      """
    And the target has the user "alice" with "title" equal to "Buyer"
    And the responses match the snapshot

  # entra-wire.md §3.1 (mapping type None: the target attribute only gets its default at
  # creation)
  Scenario: a mapping of type None sets its default on creation and nothing after
    Given an Entra ID tenant
    And the mapping of type None to "userType" with default "Employee"
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | displayName       | Alice Smith       |
    And "alice" is assigned to the app
    When the provisioning cycle runs
    Then the last request body includes:
      """
      {"userName": "alice@contoso.com", "userType": "Employee"}
      """
    When "alice"'s "displayName" is changed to "Alice Jones"
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {"Operations": [{"op": "Replace", "path": "displayName", "value": "Alice Jones"}]}
      """
    And the target has the user "alice" with "userType" equal to "Employee"
    And the responses match the snapshot
