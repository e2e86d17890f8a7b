@entra @embedded
Feature: A custom schema extension and the enterprise department travel side by side

  The admin adds urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:locationCode to the
  attribute list, the form Microsoft recommends for custom attributes, and maps it next to the
  default enterprise department.

  Background:
    Given the target accepts the extension "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User" with:
      | attribute    | type   | multi-valued |
      | locationCode | String |              |

  # entra-wire.md §3.3 (recommended urn:ietf:params:scim:schemas:extension:<name>:2.0:User:<attr>
  # form; split at the last colon; in POST a nested object whose URN is not added to schemas,
  # while the enterprise URN is listed), §1.2 (enterprise attributes under their URN)
  Scenario: a new user carries the custom extension and the enterprise department in its POST
    Given an Entra ID tenant
    And the app's attribute list includes "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:locationCode" of type String
    And the mapping "extensionAttribute1" -> "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:locationCode"
    And the user "alice" with:
      | attribute           | value             |
      | userPrincipalName   | alice@contoso.com |
      | department          | Retail            |
      | extensionAttribute1 | AMS-01            |
    And "alice" is assigned to the app
    When the provisioning cycle runs
    Then the IdP sent:
      | method | path   |
      | GET    | /Users |
      | GET    | /Users |
      | POST   | /Users |
    And the last request body includes:
      """
      {
        "schemas": [
          "urn:ietf:params:scim:schemas:core:2.0:User",
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        ],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Retail"},
        "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User": {"locationCode": "AMS-01"}
      }
      """
    And the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" equal to "Retail"
    And the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:locationCode" equal to "AMS-01"
    And the responses match the snapshot

  # entra-wire.md §3.3 (PATCH, legacy: the full URN:attribute as the path), §1.3 (one
  # operation per changed attribute, Replace where the app has a value)
  Scenario: in the legacy dialect each changed attribute gets its own URN path
    Given an Entra ID tenant
    And the app's attribute list includes "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:locationCode" of type String
    And the mapping "extensionAttribute1" -> "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:locationCode"
    And the user "alice" with:
      | attribute           | value             |
      | userPrincipalName   | alice@contoso.com |
      | department          | Retail            |
      | extensionAttribute1 | AMS-01            |
    And "alice" is assigned to the app
    And the provisioning cycle runs
    When "alice"'s "department" is changed to "Sales"
    And "alice"'s "extensionAttribute1" is changed to "LON-02"
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {
        "Operations": [
          {"op": "Replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Sales"},
          {"op": "Replace", "path": "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:locationCode", "value": "LON-02"}
        ]
      }
      """
    And the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" equal to "Sales"
    And the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:locationCode" equal to "LON-02"
    And the responses match the snapshot

  # entra-wire.md §3.3 (PATCH, flag: the full URN:attribute string as a key inside a path-less
  # replace), §2 ("Replace several attributes": single-valued ones merge into one path-less
  # operation with full-URN keys)
  Scenario: with the aadOptscim062020 flag both changes merge into one path-less replace
    Given an Entra ID tenant with the aadOptscim062020 flag
    And the app's attribute list includes "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:locationCode" of type String
    And the mapping "extensionAttribute1" -> "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:locationCode"
    And the user "alice" with:
      | attribute           | value             |
      | userPrincipalName   | alice@contoso.com |
      | department          | Retail            |
      | extensionAttribute1 | AMS-01            |
    And "alice" is assigned to the app
    And the provisioning cycle runs
    When "alice"'s "department" is changed to "Sales"
    And "alice"'s "extensionAttribute1" is changed to "LON-02"
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {
        "Operations": [{
          "op": "replace",
          "value": {
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "Sales",
            "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:locationCode": "LON-02"
          }
        }]
      }
      """
    And the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" equal to "Sales"
    And the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:locationCode" equal to "LON-02"
    And the responses match the snapshot

  # entra-wire.md §3.3 (a custom attribute added to a linked user: Add with the full URN path
  # where the app has no value), §1.3 (Add vs Replace)
  Scenario: a custom attribute the app lacks is added, the department it has is replaced
    Given an Entra ID tenant
    And the app's attribute list includes "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:locationCode" of type String
    And the mapping "extensionAttribute1" -> "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:locationCode"
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | department        | Retail            |
    And "alice" is assigned to the app
    And the provisioning cycle runs
    When "alice"'s "extensionAttribute1" is changed to "AMS-01"
    And "alice"'s "department" is changed to "Sales"
    And the provisioning cycle runs
    Then the last request body includes:
      """
      {
        "Operations": [
          {"op": "Replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Sales"},
          {"op": "Add", "path": "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:locationCode", "value": "AMS-01"}
        ]
      }
      """
    And the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:locationCode" equal to "AMS-01"
    And the responses match the snapshot
