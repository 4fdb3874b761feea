package org.mihub.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.HasCdp;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web portal in headless Chromium (Debian's chromium and chromium-driver, driven by Selenium)
 * against the real suite: alice signs in through Keycloak (code flow with PKCE), creates a private
 * dataset, uploads a CSV with one bad row and sees the row's error, uploads it fixed, searches with
 * the periodic table, trains a model and sees its parity plot, predicts, runs a campaign batch and
 * reports a result and a failure (two objectives: best so far and the Pareto front), simulates
 * against a recorded dataset (Top% against random selection), switches to Japanese; then bob signs in and alice's private
 * dataset is nowhere. On the way: the export downloads through an authenticated fetch (a plain link answers 404), a
 * material's crystal structure shows its lattice parameters, sites and 3-D view (3Dmol.js), the periodic table is
 * shaded by the materials visible per element, predicted band-gap intervals stop at 0 eV, and a three-element campaign
 * draws its design space and proposals on the composition triangle. Screenshots of the main pages go to
 * target/screenshots; those of the structure viewer, the ternary plot and the export ({@code portal-*.png}) are the
 * ones kept in docs/screenshots.
 */
@ExtendWith(RunningSuite.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target/screenshots");
    private static final Path DOWNLOADS = Path.of("target/downloads");
    /** An amount of one written out (Ni1, Fe1Ni1): chemists leave it out. */
    private static final Pattern AMOUNT_ONE = Pattern.compile("[A-Z][a-z]?1(?![0-9.])");
    /** Rutile, TiO2: a = b = 4.594 Å, c = 2.959 Å, two Ti and four O in the cell. */
    private static final String RUTILE = "{\"lattice\": {\"a\": {\"x\": 4.594}, \"b\": {\"y\": 4.594}, "
            + "\"c\": {\"z\": 2.959}}, \"sites\": ["
            + "{\"species\": \"Ti\", \"fractional\": {\"x\": 0, \"y\": 0, \"z\": 0}, \"label\": \"Ti1\"}, "
            + "{\"species\": \"Ti\", \"fractional\": {\"x\": 0.5, \"y\": 0.5, \"z\": 0.5}, \"label\": \"Ti2\"}, "
            + "{\"species\": \"O\", \"fractional\": {\"x\": 0.305, \"y\": 0.305, \"z\": 0}}, "
            + "{\"species\": \"O\", \"fractional\": {\"x\": 0.695, \"y\": 0.695, \"z\": 0}}, "
            + "{\"species\": \"O\", \"fractional\": {\"x\": 0.805, \"y\": 0.195, \"z\": 0.5}}, "
            + "{\"species\": \"O\", \"fractional\": {\"x\": 0.195, \"y\": 0.805, \"z\": 0.5}}], "
            + "\"space_group_symbol\": \"P4_2/mnm\", \"space_group_number\": 136}";
    private static final String TITLE = "portal private " + System.currentTimeMillis();

    /** After a failed step the later ones are skipped (they build on it); the failure is saved as a screenshot. */
    @RegisterExtension
    static final TestWatcher FAILURES = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            broken = true;
            try {
                shot("failed-" + context.getRequiredTestMethod().getName());
                Files.writeString(SHOTS.resolve("failed-" + context.getRequiredTestMethod().getName() + ".html"),
                        browser.getCurrentUrl() + "\n" + browser.getPageSource());
            } catch (IOException | RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    };

    private static boolean broken;
    private static WebDriver browser;
    private static WebDriverWait wait;
    private static String base;
    private static String datasetUrl;
    private static String datasetId;

    @BeforeAll
    static void openChromium() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "Debian's chromium and "
                + "chromium-driver are not installed (.ci/run installs them): the portal's browser test did not run");
        Files.createDirectories(SHOTS);
        Files.createDirectories(DOWNLOADS);
        // WebGL (the structure viewer) on the CPU: SwiftShader, which Debian's chromium ships
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,1100",
                "--user-data-dir=" + Files.createTempDirectory("mihub-chromium"));
        options.setExperimentalOption("prefs", Map.of("download.default_directory",
                DOWNLOADS.toAbsolutePath().toString(), "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build();
        browser = new ChromeDriver(service, options);
        ((HasCdp) browser).executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow",
                "downloadPath", DOWNLOADS.toAbsolutePath().toString()));
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        base = RunningSuite.config().gatewayUrl();
    }

    @BeforeEach
    void notAfterAFailure() {
        assumeFalse(broken, "an earlier step of the walk through the portal failed");
    }

    @AfterAll
    static void closeChromium() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private static void shot(String name) throws IOException {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /** A screenshot of one part of the page (smaller than the whole window). */
    private static void shot(String name, WebElement part) throws IOException {
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'start'})", part);
        Files.write(SHOTS.resolve(name + ".png"), part.getScreenshotAs(OutputType.BYTES));
    }

    private static void signIn(String user) {
        browser.get(base + "/#/search");
        visible(By.id("login")).click();
        visible(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(user);
        browser.findElement(By.id("kc-login")).click();
        wait.until(ExpectedConditions.textToBe(By.id("user"), user));
    }

    private static void go(String hash) {
        browser.get(base + "/" + hash);
    }

    private static void type(WebElement form, String name, String text) {
        WebElement input = form.findElement(By.name(name));
        input.clear();
        input.sendKeys(text);
    }

    /** The demo dataset the launcher loads (acme's, visible to the consortium) in a form's dataset choice. */
    private static void chooseTheDemoDataset(WebElement form) {
        new Select(form.findElement(By.name("dataset"))).getOptions().stream()
                .filter(option -> option.getText().startsWith("Demo")).findFirst().orElseThrow().click();
    }

    @Test
    @Order(1)
    void aliceSignsInAndSeesHerOrganisationAndRoles() throws IOException {
        signIn("alice");
        assertEquals("acme", browser.findElement(By.id("org")).getText());
        String roles = browser.findElement(By.id("roles")).getText();
        assertTrue(roles.contains("curator") && roles.contains("contributor"), roles);
        shot("01-search");
    }

    @Test
    @Order(2)
    void anUploadWithOneBadRowShowsThatRowAndWritesNothing() throws IOException {
        go("#/datasets");
        WebElement form = visible(By.id("new-dataset"));
        type(form, "title", TITLE);
        new Select(form.findElement(By.name("visibility"))).selectByValue("private");
        form.findElement(By.id("create-dataset")).click();
        wait.until(ExpectedConditions.textToBe(By.id("dataset-title"), TITLE));
        datasetUrl = browser.getCurrentUrl();
        WebElement csv = visible(By.id("csv"));
        csv.sendKeys("formula,band_gap [eV],sample_id\nGaAs,1.42,p1\nXx2O3,3.1,p2\nZnO,3.37,p3\n");
        browser.findElement(By.id("upload-button")).click();
        WebElement rejections = visible(By.id("rejections"));
        List<WebElement> rows = rejections.findElements(By.cssSelector("tbody tr"));
        assertEquals(1, rows.size(), rejections.getText());
        String row = rows.get(0).getText();
        assertTrue(row.startsWith("2 ") && row.contains("Xx"), row);
        shot("02-upload-rejected");
        csv.clear();
        csv.sendKeys("formula,band_gap [eV],sample_id\nGaAs,1.42,p1\nZnO,3.37,p3\n");
        browser.findElement(By.id("upload-button")).click();
        assertTrue(visible(By.id("upload-ok")).getText().contains("2"));
    }

    @Test
    @Order(3)
    void theExportDownloadsWithTheUsersToken() throws Exception {
        datasetId = datasetUrl.substring(datasetUrl.lastIndexOf('/') + 1);
        String path = "/api/v1/datasets/" + datasetId + "/export?format=csv";
        assertEquals(404, RunningSuite.get(path, null).statusCode(), "a plain link (no token) finds no private dataset");
        Path saved = DOWNLOADS.resolve(datasetId + ".csv");
        Files.deleteIfExists(saved);
        browser.navigate().refresh(); // the dataset page as it is now (two rows), signed in from the tab's session
        visible(By.id("export-csv")).click();
        String outcome = visible(By.id("export-ok")).getText();
        assertTrue(outcome.contains(datasetId + ".csv"), outcome);
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> Files.exists(saved));
        String csv = Files.readString(saved);
        assertTrue(csv.contains("GaAs") && csv.contains("ZnO") && !csv.contains("Xx2O3"), csv);
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
        shot("portal-export-download");
    }

    @Test
    @Order(4)
    void thePeriodicTableFindsTheUploadedOxide() throws IOException {
        go("#/search");
        WebElement zinc = visible(By.cssSelector("#periodic-table button[data-element='Zn']"));
        assertTrue(Integer.parseInt(zinc.getDomAttribute("data-count")) >= 1, "ZnO was uploaded");
        assertTrue(zinc.getDomAttribute("style").contains("background-color"), "an element that occurs is shaded");
        WebElement oganesson = browser.findElement(By.cssSelector("#periodic-table button[data-element='Og']"));
        assertEquals("0", oganesson.getDomAttribute("data-count"));
        assertFalse(oganesson.getDomAttribute("style").contains("background-color"), "an element of no material is not");
        zinc.click();
        browser.findElement(By.cssSelector("#periodic-table button[data-element='O']")).click();
        new Select(browser.findElement(By.name("match"))).selectByValue("exactly");
        browser.findElement(By.name("q")).sendKeys(TITLE);
        browser.findElement(By.id("search")).click();
        WebElement results = visible(By.id("result-table"));
        assertEquals(List.of("ZnO"), results.findElements(By.cssSelector("a.formula")).stream()
                .map(WebElement::getText).toList());
        shot("03-search-results");
        results.findElement(By.cssSelector("a.formula")).click();
        assertTrue(visible(By.id("measurements")).getText().contains("3.37"));
        shot("04-material");
    }

    @Test
    @Order(5)
    void aMaterialsCrystalStructureShowsItsLatticeSitesAndA3dView() throws Exception {
        String token = Tokens.accessToken(RunningSuite.config(), "alice");
        var uploaded = RunningSuite.send("POST", "/api/v1/datasets/" + datasetId + "/records", token,
                "application/x-ndjson", "{\"sample_key\": \"rutile\", \"formula\": \"TiO2\", \"structure\": " + RUTILE
                        + ", \"measurements\": [{\"property\": \"band_gap\", \"value\": {\"value\": 3.0, "
                        + "\"unit\": \"eV\"}}]}\n");
        assertEquals(200, uploaded.statusCode(), uploaded.body());
        var found = RunningSuite.get("/api/v1/materials?formula=TiO2&dataset=" + datasetId, token);
        String id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(found.body()).get("materials").get(0)
                .get("id").asText();
        go("#/materials/" + id);
        WebElement structure = visible(By.id("structure"));
        String lattice = visible(By.id("lattice-parameters")).getText();
        assertTrue(lattice.contains("4.594 Å") && lattice.contains("2.959 Å") && lattice.contains("90°")
                && lattice.contains("62.45 Å³"), lattice);
        assertEquals(6, structure.findElements(By.cssSelector("#sites tbody tr")).size());
        assertTrue(structure.getText().contains("P4_2/mnm"), structure.getText());
        WebElement viewer = visible(By.id("structure-viewer"));
        wait.until(driver -> "true".equals(viewer.getDomAttribute("data-ready")));
        // 2 Ti and 4 O with their images on the cell's faces: Ti on the 8 corners and in the centre, 2 × 2 O on the
        // top and bottom faces, 2 O inside
        assertEquals("15", viewer.getDomAttribute("data-atoms"));
        assertFalse(viewer.findElements(By.tagName("canvas")).isEmpty(), "3Dmol draws on a canvas");
        shot("portal-material-structure", structure);
    }

    @Test
    @Order(6)
    void aTrainedModelShowsItsParityPlotAndPredicts() throws IOException {
        go("#/models");
        WebElement form = visible(By.id("train"));
        type(form, "name", "portal gap");
        chooseTheDemoDataset(form);
        new Select(form.findElement(By.name("target"))).selectByValue("band_gap");
        type(form, "trees", "30");
        type(form, "folds", "3");
        form.findElement(By.id("train-button")).click();
        new WebDriverWait(browser, Duration.ofMinutes(3)).until(ExpectedConditions.elementToBeClickable(
                By.id("trained-model"))).click();
        WebElement parity = visible(By.id("parity-plot"));
        wait.until(driver -> "true".equals(parity.getDomAttribute("data-ready")));
        assertTrue(visible(By.id("calibration-plot")).isDisplayed());
        assertTrue(browser.findElement(By.id("metrics")).getText().contains("MAE"));
        shot("05-model");
        assertTrue(visible(By.id("range-note")).getText().contains("≥ 0 eV"), "the band gap's possible range is said");
        visible(By.id("formulas")).sendKeys("GaAs\nZnSe\nGa2Q3\nFe\nCu\nAl");
        browser.findElement(By.id("predict-button")).click();
        WebElement predictions = visible(By.id("prediction-table"));
        List<WebElement> rows = predictions.findElements(By.cssSelector("tbody tr"));
        assertEquals(6, rows.size());
        for (WebElement row : rows) {
            String interval = row.findElements(By.tagName("td")).get(3).getText();
            if (!interval.isEmpty()) {
                double low = Double.parseDouble(interval.split(" – ")[0]);
                assertTrue(low >= 0, "a band gap's 95 % interval starts at 0 eV at the lowest: " + row.getText());
            }
        }
        assertEquals("Q", predictions.findElement(By.cssSelector(".bad-formula .mark")).getText(),
                "the character where the formula fails is marked");
        shot("06-predictions");
    }

    @Test
    @Order(7)
    void aCampaignProposesABatchAndTakesAResultAndAFailure() throws IOException {
        go("#/campaigns");
        WebElement form = visible(By.id("new-campaign"));
        type(form, "name", "portal FeNi");
        new Select(form.findElement(By.name("property"))).selectByValue("hardness");
        type(form, "unit", "GPa");
        new Select(form.findElement(By.name("property2"))).selectByValue("density");
        new Select(form.findElement(By.name("direction2"))).selectByValue("minimise");
        type(form, "unit2", "g/cm3");
        type(form, "elements", "Fe:0-1, Ni:0-1");
        type(form, "step", "0.1");
        type(form, "parameter", "anneal_temperature");
        type(form, "parameterMin", "300");
        type(form, "parameterMax", "900");
        type(form, "parameterStep", "100");
        type(form, "parameterUnit", "Cel");
        type(form, "batch", "2");
        type(form, "budget", "10");
        form.findElement(By.id("create-campaign")).click();
        visible(By.id("propose-button")).click();
        WebElement results = visible(By.id("results"));
        List<WebElement> values = results.findElements(By.cssSelector("input.result-value"));
        assertEquals(4, values.size(), "two proposals, two objectives each");
        values.get(0).sendKeys("5.2");
        values.get(1).sendKeys("8.1");
        results.findElements(By.cssSelector("input.fail-reason")).get(1).sendKeys("sample cracked");
        shot("07-campaign-batch");
        results.findElement(By.id("report-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("history"), "sample cracked"));
        String history = browser.findElement(By.id("history")).getText();
        assertTrue(history.contains("5.2") && history.contains("anneal_temperature="), history);
        assertFalse(AMOUNT_ONE.matcher(history).find(), "formulas are written without amounts of one: " + history);
        WebElement best = visible(By.id("best-so-far"));
        wait.until(driver -> "true".equals(best.getDomAttribute("data-ready")));
        WebElement pareto = visible(By.id("pareto-front"));
        wait.until(driver -> "true".equals(pareto.getDomAttribute("data-ready")));
        shot("08-campaign-results");
    }

    @Test
    @Order(8)
    void aThreeElementCampaignDrawsItsDesignSpaceOnTheCompositionTriangle() throws IOException {
        go("#/campaigns");
        WebElement form = visible(By.id("new-campaign"));
        type(form, "name", "portal FeNiCo");
        new Select(form.findElement(By.name("property"))).selectByValue("hardness");
        type(form, "unit", "GPa");
        type(form, "elements", "Fe:0-1, Ni:0-1, Co:0-0.5");
        type(form, "step", "0.1");
        // the 0.1 grid of the triangle (66 points) without those with more than half Co (15); the preview is drawn
        // anew as the fields are typed, so it is looked up afresh on every poll
        wait.ignoring(StaleElementReferenceException.class).until(driver -> {
            WebElement preview = driver.findElement(By.id("space-ternary"));
            return "true".equals(preview.getDomAttribute("data-ready")) && "51".equals(preview.getDomAttribute("data-points"));
        });
        type(form, "batch", "3");
        type(form, "budget", "12");
        form.findElement(By.id("create-campaign")).click();
        visible(By.id("propose-button")).click();
        WebElement results = visible(By.id("results"));
        List<WebElement> values = results.findElements(By.cssSelector("input.result-value"));
        assertEquals(3, values.size());
        values.get(0).sendKeys("4.1");
        values.get(1).sendKeys("6.3");
        results.findElements(By.cssSelector("input.fail-reason")).get(2).sendKeys("furnace fault");
        results.findElement(By.id("report-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("history"), "furnace fault"));
        visible(By.id("propose-button")).click();
        wait.until(driver -> driver.findElements(By.cssSelector("#history tbody tr")).size() == 6);
        WebElement ternary = visible(By.id("ternary"));
        wait.until(driver -> "true".equals(ternary.getDomAttribute("data-ready")));
        // the design space (51), the pending batch (3), the failure (1) and the two measured
        assertEquals("57", ternary.getDomAttribute("data-points"));
        String history = browser.findElement(By.id("history")).getText();
        assertFalse(AMOUNT_ONE.matcher(history).find(), history);
        shot("portal-ternary", visible(By.id("ternary-section")));
    }

    @Test
    @Order(9)
    void aSimulationShowsTopPercentAgainstRandomSelection() throws Exception {
        go("#/campaigns");
        WebElement form = visible(By.id("new-simulation"));
        chooseTheDemoDataset(form);
        new Select(form.findElement(By.name("property"))).selectByValue("band_gap");
        type(form, "runs", "5");
        type(form, "evaluations", "10");
        form.findElement(By.id("simulate")).click();
        WebElement curves = new WebDriverWait(browser, Duration.ofMinutes(2)).until(
                ExpectedConditions.visibilityOfElementLocated(By.id("top-percent")));
        wait.until(driver -> "true".equals(curves.getDomAttribute("data-ready")));
        shot("09-simulation");

        // the model trained above as the strategy's surrogate: the twin starts from the model's best
        go("#/campaigns");
        WebElement guided = visible(By.id("new-simulation"));
        chooseTheDemoDataset(guided);
        new Select(guided.findElement(By.name("property"))).selectByValue("band_gap");
        new Select(guided.findElement(By.name("surrogate"))).getOptions().stream()
                .filter(option -> option.getText().startsWith("portal gap")).findFirst().orElseThrow().click();
        type(guided, "runs", "3");
        type(guided, "evaluations", "8");
        guided.findElement(By.id("simulate")).click();
        WebElement guidedCurves = new WebDriverWait(browser, Duration.ofMinutes(2)).until(
                ExpectedConditions.visibilityOfElementLocated(By.id("top-percent")));
        wait.until(driver -> "true".equals(guidedCurves.getDomAttribute("data-ready")));
        shot("09a-simulation-model-surrogate");

        // two objectives: a dataset with band gaps and densities, a wide gap against a low density
        String token = Tokens.accessToken(RunningSuite.config(), "alice");
        var created = RunningSuite.send("POST", "/api/v1/datasets", token, "application/json",
                "{\"title\": \"Portal gaps and densities\", \"licence\": \"LicenseRef-Proprietary\"}");
        assertEquals(201, created.statusCode(), created.body());
        String pairs = new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body()).get("id").asText();
        assertEquals(200, RunningSuite.send("POST", "/api/v1/datasets/" + pairs + "/records", token, "text/csv",
                "formula,band_gap [eV],density [g/cm3]\nZnO,3.37,5.61\nZnS,3.68,4.09\nZnSe,2.7,5.27\nGaN,3.4,6.15\n"
                        + "GaP,2.26,4.14\nAlN,6.2,3.26\nAlP,2.45,2.4\nMgO,7.8,3.58\n").statusCode());
        go("#/campaigns");
        WebElement second = visible(By.id("new-simulation"));
        new Select(second.findElement(By.name("dataset"))).getOptions().stream()
                .filter(option -> option.getText().startsWith("Portal gaps and densities")).findFirst().orElseThrow()
                .click();
        new Select(second.findElement(By.name("property"))).selectByValue("band_gap");
        new Select(second.findElement(By.name("property2"))).selectByValue("density");
        new Select(second.findElement(By.name("direction2"))).selectByValue("minimise");
        type(second, "runs", "3");
        type(second, "evaluations", "8");
        second.findElement(By.id("simulate")).click();
        WebElement share = new WebDriverWait(browser, Duration.ofMinutes(2)).until(
                ExpectedConditions.visibilityOfElementLocated(By.id("hypervolume")));
        wait.until(driver -> "true".equals(share.getDomAttribute("data-ready")));
        shot("09b-simulation-two-objectives");
    }

    @Test
    @Order(10)
    void thePortalSpeaksJapanese() throws IOException {
        go("#/datasets");
        visible(By.id("lang")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("nav"), "カタログ"));
        shot("10-japanese");
        browser.findElement(By.id("lang")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("nav"), "Catalog"));
        visible(By.id("logout")).click();
        visible(By.id("login"));
    }

    @Test
    @Order(11)
    void bobSeesAlicesPrivateDatasetNowhere() throws IOException {
        signIn("bob");
        go("#/datasets");
        visible(By.id("dataset-table"));
        assertFalse(browser.getPageSource().contains(TITLE), "the datasets page");
        go("#/search");
        visible(By.id("search-form"));
        assertFalse(browser.getPageSource().contains(TITLE), "the dataset filter of the search page");
        browser.findElement(By.name("q")).sendKeys(TITLE);
        browser.findElement(By.id("search")).click();
        visible(By.id("no-results"));
        go("#/models");
        visible(By.id("model-table"));
        assertFalse(browser.getPageSource().contains(TITLE), "the dataset choice of the training form");
        browser.get(datasetUrl);
        ((JavascriptExecutor) browser).executeScript("window.dispatchEvent(new HashChangeEvent('hashchange'))");
        // the page may render twice (load, then the hash change): look the message up afresh on every poll
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("page-error"), "Not found"));
        assertFalse(browser.getPageSource().contains(TITLE), "the dataset's own page");
        shot("11-bob-hidden");
    }
}
