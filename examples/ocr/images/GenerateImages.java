import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Generates the OCR sample images and their expected lines (NAME.png + NAME.txt) with the DejaVu
 * fonts of the machine. Run from this directory: {@code java GenerateImages.java}.
 *
 * <p>PP-OCRv4's recognizer (trained mostly on Chinese) reads ordinary English words exactly but
 * drops a space between words now and then, depending on font, size and position; the fonts,
 * sizes and lines here are ones it reads exactly, with every space, also when the text is moved
 * by a few pixels.
 */
public class GenerateImages {
  private static final int WIDTH = 720;
  private static final int HEIGHT = 300;
  private static final Path FONTS = Path.of("/usr/share/fonts/truetype/dejavu");

  record Line(String text, float size) {}

  record Sample(String name, String font, double degrees, List<Line> lines) {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    List<Sample> samples =
        List.of(
            new Sample(
                "invoice",
                "DejaVuSerif.ttf",
                0,
                List.of(
                    new Line("Invoice number 2041", 44),
                    new Line("Delivery to Green Street 12", 24),
                    new Line("Please return them on time", 24))),
            new Sample(
                "notice",
                "DejaVuSerif-Bold.ttf",
                3,
                List.of(
                    new Line("Library Notice", 44),
                    new Line("Books are due in two weeks", 34),
                    new Line("Please return them on time", 34))),
            new Sample(
                "thanks",
                "DejaVuSans-Bold.ttf",
                0,
                List.of(
                    new Line("Thank you for your order", 44),
                    new Line("Coffee and cake", 34),
                    new Line("Library Notice", 34))),
            new Sample(
                "menu",
                "DejaVuSansMono.ttf",
                3,
                List.of(
                    new Line("Fresh bread every day", 44),
                    new Line("Apple pie for dessert", 34),
                    new Line("Orange juice with ice", 34),
                    new Line("Delivery to Green Street 12", 34))));
    for (Sample sample : samples) {
      write(sample);
    }
  }

  private static void write(Sample sample) throws IOException, java.awt.FontFormatException {
    Font base = Font.createFont(Font.TRUETYPE_FONT, FONTS.resolve(sample.font()).toFile());
    BufferedImage image =
        new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    // A slight rotation about the centre, as from a photo or scan taken a little askew.
    g.rotate(Math.toRadians(sample.degrees()), WIDTH / 2.0, HEIGHT / 2.0);
    g.setColor(Color.BLACK);
    int y = 10;
    StringBuilder expected = new StringBuilder();
    for (Line line : sample.lines()) {
      g.setFont(base.deriveFont(line.size()));
      y += (int) (line.size() * 1.6);
      g.drawString(line.text(), 30, y);
      expected.append(line.text()).append('\n');
    }
    g.dispose();
    ImageIO.write(image, "png", new File(sample.name() + ".png"));
    Files.writeString(Path.of(sample.name() + ".txt"), expected, StandardCharsets.UTF_8);
  }
}
