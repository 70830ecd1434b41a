package io.streembit.protocol.td;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.Json;
import io.streembit.protocol.JsonSchemas;
import io.streembit.protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing: what a Thing Description must contain, and precise errors when it does not. */
class ThingDescriptionParseTest {
    private static final String HEAD =
            "\"@context\":\"https://www.w3.org/2022/wot/td/v1.1\",\"id\":\"urn:test:t\",\"title\":\"T\"";

    /** A TD with the given members after the required ones (written with ' for "). */
    static String td(String members) {
        return "{" + HEAD + (members.isEmpty() ? "" : "," + members.replace('\'', '"')) + "}";
    }

    static void assertMalformed(String json, String message) {
        assertThatThrownBy(() -> ThingDescription.parse(json))
                .isInstanceOf(ProtocolException.class)
                .satisfies(e -> assertThat(((ProtocolException) e).code()).isEqualTo(ErrorCode.MALFORMED))
                .hasMessage("malformed: " + message);
        // The published JSON Schema refuses the same document.
        assertThat(JsonSchemas.errors("thing-description.schema.json", json))
                .as("schema verdict on %s", json)
                .isNotEmpty();
    }

    @Test
    void theSmallestThingDescription() throws Exception {
        ThingDescription td = ThingDescription.parse(td(""));
        assertThat(td.id()).isEqualTo("urn:test:t");
        assertThat(td.title()).isEqualTo("T");
        assertThat(td.description()).isEmpty();
        assertThat(td.properties()).isEmpty();
        assertThat(td.actions()).isEmpty();
        assertThat(td.events()).isEmpty();
        assertThat(JsonSchemas.errors("thing-description.schema.json", td(""))).isEmpty();
    }

    @Test
    void contextForms() throws Exception {
        for (String context : new String[] {
            "\"https://www.w3.org/2019/wot/td/v1\"",
            "[\"https://www.w3.org/2022/wot/td/v1.1\",{\"saref\":\"https://saref.etsi.org/core/\"},\"https://example.com/ctx\"]"
        }) {
            String json = "{\"@context\":" + context + ",\"id\":\"urn:x\",\"title\":\"T\"}";
            assertThat(ThingDescription.parse(json).id()).isEqualTo("urn:x");
            assertThat(JsonSchemas.errors("thing-description.schema.json", json))
                    .isEmpty();
        }
    }

    @Test
    void notAThingDescriptionAtAll() {
        assertThatThrownBy(() -> ThingDescription.parse("[]"))
                .hasMessage("malformed: thing description is not a JSON object");
        assertThatThrownBy(() -> ThingDescription.parse("{\"title\":"))
                .hasMessage("malformed: thing description is not valid JSON");
        assertThatThrownBy(() -> ThingDescription.parse(td("'title':'Again'")))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("malformed: thing description is not valid JSON");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{'id':'urn:x','title':'T'}|thing description: missing required member '@context'",
                "{'@context':'https://www.w3.org/2022/wot/td/v1','id':'urn:x','title':'T'}|thing description /@context: must be \"https://www.w3.org/2022/wot/td/v1.1\" (or \"https://www.w3.org/2019/wot/td/v1\"), or an array that starts with it",
                "{'@context':['https://example.com','https://www.w3.org/2022/wot/td/v1.1'],'id':'urn:x','title':'T'}|thing description /@context: must be \"https://www.w3.org/2022/wot/td/v1.1\" (or \"https://www.w3.org/2019/wot/td/v1\"), or an array that starts with it",
                "{'@context':['https://www.w3.org/2022/wot/td/v1.1',7],'id':'urn:x','title':'T'}|thing description /@context/1: must be a URI string or an object of prefix to URI strings",
                "{'@context':'https://www.w3.org/2022/wot/td/v1.1','title':'T'}|thing description: missing required member 'id'",
                "{'@context':'https://www.w3.org/2022/wot/td/v1.1','id':'thermostat','title':'T'}|thing description /id: must be an absolute URI (scheme:...), got \"thermostat\"",
                "{'@context':'https://www.w3.org/2022/wot/td/v1.1','id':7,'title':'T'}|thing description /id: must be a string",
                "{'@context':'https://www.w3.org/2022/wot/td/v1.1','id':'urn:x'}|thing description: missing required member 'title'",
                "{'@context':'https://www.w3.org/2022/wot/td/v1.1','id':'urn:x','title':''}|thing description /title: must not be empty",
            })
    void requiredMembers(String json, String message) {
        assertMalformed(json.replace('\'', '"'), message);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "'description':5|/description: must be a string",
                "'security':[]|/security: must be a string or a non-empty array of strings",
                "'securityDefinitions':{'sc':{'in':'header'}}|/securityDefinitions/sc: must have a string member 'scheme'",
                "'properties':[]|/properties: must be an object of name to affordance",
                "'properties':{'t':true}|/properties/t: must be an object",
                "'properties':{'$command-result':{}}|/properties/$command-result: names starting with '$' are reserved",
                "'properties':{'':{}}|/properties/: affordance names must not be empty",
                "'properties':{'t':{'type':'float'}}|/properties/t/type: must be one of boolean, integer, number, string, object, array, null; got \"float\"",
                "'properties':{'t':{'type':['number','null']}}|/properties/t/type: must be one of boolean, integer, number, string, object, array, null; got [\"number\",\"null\"]",
                "'properties':{'t':{'enum':[]}}|/properties/t/enum: must be a non-empty array",
                "'properties':{'t':{'enum':[1,2,1.0]}}|/properties/t/enum: has the value 1 twice",
                "'properties':{'t':{'minimum':'5'}}|/properties/t/minimum: must be a number",
                "'properties':{'t':{'exclusiveMaximum':null}}|/properties/t/exclusiveMaximum: must be a number",
                "'properties':{'t':{'multipleOf':0}}|/properties/t/multipleOf: must be a number greater than 0",
                "'properties':{'t':{'minLength':-1}}|/properties/t/minLength: must be an integer from 0 to 2147483647",
                "'properties':{'t':{'maxItems':1.5}}|/properties/t/maxItems: must be an integer from 0 to 2147483647",
                "'properties':{'t':{'pattern':'[a-'}}|/properties/t/pattern: is not a valid regular expression",
                "'properties':{'t':{'format':1}}|/properties/t/format: must be a string",
                "'properties':{'t':{'items':[{'type':'number'}]}}|/properties/t/items: the tuple form (an array of schemas) is not supported",
                "'properties':{'t':{'items':'number'}}|/properties/t/items: must be a data schema object",
                "'properties':{'t':{'properties':{'a':{'maximum':'x'}}}}|/properties/t/properties/a/maximum: must be a number",
                "'properties':{'t':{'properties':{'a~b/c':1}}}|/properties/t/properties/a~0b~1c: must be a data schema object",
                "'properties':{'t':{'required':['a',1]}}|/properties/t/required/1: must be a string",
                "'properties':{'t':{'oneOf':[]}}|/properties/t/oneOf: must be a non-empty array of data schemas",
                "'properties':{'t':{'oneOf':[{'type':'x'}]}}|/properties/t/oneOf/0/type: must be one of boolean, integer, number, string, object, array, null; got \"x\"",
                "'properties':{'t':{'readOnly':'yes'}}|/properties/t/readOnly: must be true or false",
                "'properties':{'t':{'observable':1}}|/properties/t/observable: must be true or false",
                "'properties':{'t':{'unit':5}}|/properties/t/unit: must be a string",
                "'properties':{'t':{'forms':[{'op':'readproperty'}]}}|/properties/t/forms/0: must be a form object with a string member 'href'",
                "'actions':{'go':{'input':5}}|/actions/go/input: must be a data schema object",
                "'actions':{'go':{'output':{'items':{'minimum':true}}}}|/actions/go/output/items/minimum: must be a number",
                "'actions':{'go':{'safe':'no'}}|/actions/go/safe: must be true or false",
                "'events':{'e':{'data':{'properties':{'x':{'maximum':'high'}}}}}|/events/e/data/properties/x/maximum: must be a number",
                "'events':{'e':{'forms':[]}}|/events/e/forms: must be a non-empty array of forms",
            })
    void dataSchemasAndAffordances(String members, String message) {
        assertMalformed(td(members), "thing description " + message);
    }

    @Test
    void schemasNestedTooDeeplyAreRefused() {
        String schema = "{}";
        for (int i = 0; i < 40; i++) {
            schema = "{\"items\":" + schema + "}";
        }
        String json = td("'properties':{'deep':" + schema.replace('"', '\'') + "}");
        assertThatThrownBy(() -> ThingDescription.parse(json))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("nested deeper than 32 levels");
    }

    @Test
    void unknownMembersAreKeptNotInterpreted() throws Exception {
        String json = td("'version':{'instance':'1.2.0'},'links':[{'href':'https://example.com'}],"
                + "'properties':{'t':{'type':'number','saref:relatesTo':'Temperature','default':20}}");
        ThingDescription td = ThingDescription.parse(json);
        assertThat(td.json().get("version").get("instance").asText()).isEqualTo("1.2.0");
        assertThat(td.json().get("properties").get("t").get("saref:relatesTo").asText())
                .isEqualTo("Temperature");
        assertThat(td.bytes()).isEqualTo(Json.bytes(Json.MAPPER.readTree(json)));
    }

    @Test
    void aThingDescriptionCannotBeChangedAfterParsing() throws Exception {
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(td("'properties':{'t':{'type':'number'}}"));
        ThingDescription td = ThingDescription.parse(json);
        json.put("title", "Changed");
        td.json().put("title", "Changed too");
        assertThat(td.json().get("title").asText()).isEqualTo("T");
        assertThat(td).isEqualTo(ThingDescription.parse(td("'properties':{'t':{'type':'number'}}")));
    }
}
