@okta @embedded
Feature: A vendor attribute in the external namespace urn:omni:params:1.0:UserAttribute

  # okta-wire.md §2.1 (a Profile Editor attribute: variable name, external name, external
  # namespace, data type, enum), §2.2 (in a vendor namespace the value goes into a top-level
  # object keyed by the URN), §2.3 (an enum sends its value, never its title; a string array
  # goes as a JSON array), §1.3 (POST), §1.4 (the full profile in every PUT)
  Scenario: an enum and a multi-valued vendor attribute on create and on update
    Given the target accepts the extension "urn:omni:params:1.0:UserAttribute" with:
      | attribute | type   | multi-valued |
      | costTier  | String |              |
      | badges    | String | yes          |
    And an Okta org
    And the app-user attribute "costTier" with external name "costTier" in namespace "urn:omni:params:1.0:UserAttribute" of type String
    And the app-user attribute "costTier" allows:
      | value  | title       |
      | gold   | Gold tier   |
      | silver | Silver tier |
    And the app-user attribute "badges" with external name "badges" in namespace "urn:omni:params:1.0:UserAttribute" of type String, multi-valued
    And the expression mapping "Arrays.flatten(user.department, user.division)" -> "badges"
    And the user "alice" with:
      | attribute  | value             |
      | login      | alice@example.com |
      | email      | alice@example.com |
      | firstName  | Alice             |
      | lastName   | Smith             |
      | department | Retail            |
      | division   | EMEA              |
    And "alice"'s assignment sets "costTier" to "Gold tier"
    When "alice" is assigned to the app
    Then the IdP sent:
      | method | path                                                                           |
      | GET    | /Users?filter=userName%20eq%20%22alice%40example.com%22&startIndex=1&count=100 |
      | POST   | /Users                                                                         |
    And the last request body includes:
      """
      {"urn:omni:params:1.0:UserAttribute": {"costTier": "gold", "badges": ["Retail", "EMEA"]}}
      """
    And the target has the user "alice" with "urn:omni:params:1.0:UserAttribute:costTier" equal to "gold"
    And the target has the user "alice" with "urn:omni:params:1.0:UserAttribute:badges" equal to:
      """
      ["Retail", "EMEA"]
      """
    When "alice"'s assignment sets "costTier" to "Silver tier"
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PUT    | /Users/{id} |
    And the last request body includes:
      """
      {"urn:omni:params:1.0:UserAttribute": {"costTier": "silver", "badges": ["Retail", "EMEA"]}}
      """
    And the target has the user "alice" with "urn:omni:params:1.0:UserAttribute:costTier" equal to "silver"
    When "alice"'s "division" is changed to "APAC"
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PUT    | /Users/{id} |
    And the target has the user "alice" with "urn:omni:params:1.0:UserAttribute:badges" equal to:
      """
      ["Retail", "APAC"]
      """
    And the target has the user "alice" with "urn:omni:params:1.0:UserAttribute:costTier" equal to "silver"
    And Okta has no open tasks
    And the responses match the snapshot
