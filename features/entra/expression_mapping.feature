@entra
Feature: Expression mappings compute what Entra sends

  # entra-wire.md §3.4 (Join(separator, source1, …)), §3.1 (mapping type Expression), §1.2
  Scenario: Join builds the display name from the given name and the surname
    Given an Entra ID tenant
    And the expression mapping "Join(" ", [givenName], [surname])" -> "displayName"
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | givenName         | Alice             |
      | surname           | Smith             |
    And "alice" is assigned to the app
    When the provisioning cycle runs
    Then the last request body includes:
      """
      {"displayName": "Alice Smith", "name": {"givenName": "Alice", "familyName": "Smith", "formatted": "Alice Smith"}}
      """
    When "alice"'s "surname" is changed to "Jones"
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {
        "Operations": [
          {"op": "Replace", "path": "displayName", "value": "Alice Jones"},
          {"op": "Replace", "path": "name.familyName", "value": "Jones"},
          {"op": "Replace", "path": "name.formatted", "value": "Alice Jones"}
        ]
      }
      """
    And the target has the user "alice" with "displayName" equal to "Alice Jones"
    And the responses match the snapshot

  # entra-wire.md §3.4 (Switch(source, default, key1, value1, …), case-sensitive), §1.3
  # (a changed result is a Replace)
  Scenario: Switch maps the department to a division
    Given an Entra ID tenant
    And the expression mapping "Switch([department], "Other", "Retail", "Stores", "Sales", "Field")" -> "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division"
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | department        | Retail            |
    And "alice" is assigned to the app
    When the provisioning cycle runs
    Then the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division" equal to "Stores"
    When "alice"'s "department" is changed to "Sales"
    And the provisioning cycle runs
    Then the last request body includes:
      """
      {
        "Operations": [
          {"op": "Replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division", "value": "Field"}
        ]
      }
      """
    When "alice"'s "department" is changed to "sales"
    And the provisioning cycle runs
    Then the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division" equal to "Other"
    And the responses match the snapshot

  # entra-wire.md §1.4 (the workaround for blanks: an expression with a sentinel makes Entra
  # send a Replace with that literal), §3.4 (Coalesce)
  Scenario: a Coalesce sentinel is sent when the job title is cleared
    Given an Entra ID tenant
    And the expression mapping "Coalesce([jobTitle], "n/a")" -> "title"
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
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {"Operations": [{"op": "Replace", "path": "title", "value": "n/a"}]}
      """
    And the target has the user "alice" with "title" equal to "n/a"
    And the responses match the snapshot

  # entra-wire.md §3.4 (IgnoreFlowIfNullOrEmpty drops the attribute from the request when the
  # expression is null or empty), §1.2 (null attributes are left out of the POST)
  Scenario: IgnoreFlowIfNullOrEmpty leaves an empty mobile number out
    Given an Entra ID tenant
    And the expression mapping "IgnoreFlowIfNullOrEmpty([mobile])" -> "phoneNumbers[type eq "mobile"].value"
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | mobile            |                   |
    And "alice" is assigned to the app
    When the provisioning cycle runs
    Then the IdP sent:
      | method | path   |
      | GET    | /Users |
      | GET    | /Users |
      | POST   | /Users |
    And the target has the user "alice" with "phoneNumbers" absent
    When "alice"'s "mobile" is changed to "+31 6 1234 5678"
    And the provisioning cycle runs
    Then the last request body includes:
      """
      {"Operations": [{"op": "Add", "path": "phoneNumbers[type eq \"mobile\"].value", "value": "+31 6 1234 5678"}]}
      """
    And the target has the user "alice" with "phoneNumbers[type eq "mobile"].value" equal to "+31 6 1234 5678"
    And the responses match the snapshot

  # entra-wire.md §3.4 (ToLower: string functions), §1.0 (an expression on the
  # matching attribute is what the match query filters on)
  Scenario: an expression on userName is what the match query filters on
    Given an Entra ID tenant
    And the expression mapping "ToLower([userPrincipalName])" -> "userName"
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | Alice@Contoso.com |
    And "alice" is assigned to the app
    When the provisioning cycle runs
    Then the IdP sent:
      | method | path   | query                                  |
      | GET    | /Users | filter=userName eq "{guid}"            |
      | GET    | /Users | filter=userName eq "alice@contoso.com" |
      | POST   | /Users |                                        |
    And the responses match the snapshot
