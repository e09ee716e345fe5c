package io.github.nspawnrunner.lava;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * A job's results as LAVA serves them ({@code /api/v0.2/jobs/<id>/junit/}): {@code <testsuites>}
 * of {@code <testsuite>}s of {@code <testcase>}s, a case failing when it holds {@code <failure>} or
 * {@code <error>}, skipped when it holds {@code <skipped>}. Counted from the cases themselves, not
 * from the suites' attributes, so that the names of the failing cases and the counts agree.
 */
public record JunitResults(List<SuiteResults> suites) {
    public JunitResults {
        suites = List.copyOf(suites);
    }

    public int failed() {
        return suites.stream().mapToInt(SuiteResults::failed).sum();
    }

    /** "suite/case" of every failing test case, in the order LAVA lists them. */
    public List<String> failing() {
        List<String> names = new ArrayList<>();
        suites.forEach(suite -> suite.failing().forEach(name -> names.add(suite.name() + "/" + name)));
        return names;
    }

    /**
     * Parses XML from the server. The text comes from the network: no DTDs, no external entities
     * or stylesheets (XXE), so a hostile answer can neither read local files nor reach other hosts.
     */
    public static JunitResults parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            // the parser prints fatal errors to stderr by default; the caller reports them in one line
            builder.setErrorHandler(null);
            Element root = builder.parse(new InputSource(new StringReader(xml))).getDocumentElement();
            List<SuiteResults> suites = new ArrayList<>();
            if ("testsuite".equals(root.getTagName())) {
                suites.add(suite(root));
            } else {
                for (Element suite : children(root, "testsuite")) {
                    suites.add(suite(suite));
                }
            }
            return new JunitResults(suites);
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalArgumentException("LAVA's JUnit results are not valid XML: " + e.getMessage(), e);
        }
    }

    private static SuiteResults suite(Element suite) {
        int passed = 0;
        int skipped = 0;
        List<String> failing = new ArrayList<>();
        for (Element testCase : children(suite, "testcase")) {
            if (!children(testCase, "failure").isEmpty() || !children(testCase, "error").isEmpty()) {
                failing.add(testCase.getAttribute("name"));
            } else if (!children(testCase, "skipped").isEmpty()) {
                skipped++;
            } else {
                passed++;
            }
        }
        return new SuiteResults(suite.getAttribute("name"), passed, failing.size(), skipped, failing);
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element && tag.equals(element.getTagName())) {
                found.add(element);
            }
        }
        return found;
    }
}
