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
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
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
 * dataset is nowhere. Screenshots of the main pages go to target/screenshots.
 */
@ExtendWith(RunningSuite.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target/screenshots");
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

    @BeforeAll
    static void openChromium() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "Debian's chromium and "
                + "chromium-driver are not installed (.ci/run installs them): the portal's browser test did not run");
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,1100",
                "--user-data-dir=" + Files.createTempDirectory("mihub-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build();
        browser = new ChromeDriver(service, options);
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
    void thePeriodicTableFindsTheUploadedOxide() throws IOException {
        go("#/search");
        visible(By.cssSelector("#periodic-table button[data-element='Zn']")).click();
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
    @Order(4)
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
        visible(By.id("formulas")).sendKeys("GaAs\nZnSe\nGa2Q3");
        browser.findElement(By.id("predict-button")).click();
        WebElement predictions = visible(By.id("prediction-table"));
        assertEquals(3, predictions.findElements(By.cssSelector("tbody tr")).size());
        assertEquals("Q", predictions.findElement(By.cssSelector(".bad-formula .mark")).getText(),
                "the character where the formula fails is marked");
        shot("06-predictions");
    }

    @Test
    @Order(5)
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
        WebElement best = visible(By.id("best-so-far"));
        wait.until(driver -> "true".equals(best.getDomAttribute("data-ready")));
        WebElement pareto = visible(By.id("pareto-front"));
        wait.until(driver -> "true".equals(pareto.getDomAttribute("data-ready")));
        shot("08-campaign-results");
    }

    @Test
    @Order(6)
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
    @Order(7)
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
    @Order(8)
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
