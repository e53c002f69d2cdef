package org.optikern.kernel;

/**
 * The ziggurat of the standard normal (Marsaglia and Tsang, "The Ziggurat Method for Generating
 * Random Variables", Journal of Statistical Software 5(8), 2000), with 256 layers: what turns one
 * random 32-bit word into a normal value with integer operations, one compare and one multiply, 98.5%
 * of the time.
 *
 * <p>Under {@code f(x) = exp(-x^2/2)} lie 256 layers of equal area {@code v}: layer {@code i >= 1} is
 * the rectangle {@code [0, x_i] x [f(x_i), f(x_{i+1})]}, layer 0 the rectangle {@code [0, r] x [0, f(r)]}
 * with the tail beyond {@code r}, as wide as {@code x_0 = v/f(r)} if it were a rectangle. A word
 * picks a layer with its low 8 bits and a signed position {@code h} in it with the other 24 ({@link
 * #position}, odd so that the values are symmetric about 0): the point {@code h/2^24 * x_i}. Inside
 * {@code [0, x_{i+1})} it is under the curve and is the value ({@link #inside}, {@link #value}); else,
 * in layer 0 the value is drawn from the tail, in the others the point is kept if a uniform height in
 * the layer falls under the curve ({@link #underCurve}), and otherwise a new word is tried. The rare
 * paths use {@code StrictMath}: the same bits on every JVM.
 *
 * <p>The edges {@code x_0 .. x_256} are constants, not computed here: each is its exact value for
 * {@code r} and {@code v} below (the root that closes the top layer at {@code x_256 = 0}), rounded
 * once to a double ({@code tools/noise/ziggurat_table.py}, at 60 digits). Computed in double by the
 * recursion {@code x_{i+1} = sqrt(-2 ln(f(x_i) + v/x_i))} they would drift up to 308 ulps by the top
 * layer, and differently with another libm: as exact constants, the Python reference rebuilds the
 * same table bit for bit ({@code tools/golden/zoo_reference.py}). The values of a layer lie on a grid
 * of {@code x_i/2^24}: finer than float32 resolves near the layer's edge, coarser than a double.
 */
final class NormalZiggurat {
  static final int LAYERS = 256;

  /** The bits of a word that pick its layer; the 24 above them place the point in it. */
  private static final int LAYER_BITS = 0xFF;

  /**
   * {@code x_0 .. x_256}, for {@code r = 3.654152885361008771645429720399515762975} and
   * {@code v = 0.004928673233974655347361775402336028069135}.
   */
  private static final double[] EDGES = {
      0x1.f493b7815d982p1, 0x1.d3bb48209ad33p1, 0x1.b981f3878fdb0p1, 0x1.a8fdc78947759p1,
      0x1.9cbee014057aap1, 0x1.92ee0946f4496p1, 0x1.8ab0fbfaa7c14p1, 0x1.839030529f233p1,
      0x1.7d42df4d6ce8bp1, 0x1.7799556090672p1, 0x1.72728f05f7a33p1, 0x1.6db6b8d09e231p1,
      0x1.69540be9fe5c2p1, 0x1.653ce7b006aeap1, 0x1.61669cf861e4bp1, 0x1.5dc8a243ad0fep1,
      0x1.5a5c08b718dd9p1, 0x1.571b1a94ae41cp1, 0x1.54011523a7e43p1, 0x1.5109f53e9ac42p1,
      0x1.4e3250dcd8903p1, 0x1.4b7739d6b5a28p1, 0x1.48d62759c43bdp1, 0x1.464ce44a73a16p1,
      0x1.43d9815545e94p1, 0x1.417a49cb9e5dbp1, 0x1.3f2dbaa60f475p1, 0x1.3cf27b31704a6p1,
      0x1.3ac7570ae88fap1, 0x1.38ab39256410ap1, 0x1.369d27a33a840p1, 0x1.349c405ae12a3p1,
      0x1.32a7b5e68a4a3p1, 0x1.30becd256aeeep1, 0x1.2ee0db1a978f5p1, 0x1.2d0d43196db97p1,
      0x1.2b437532a0a53p1, 0x1.2982ecd770e78p1, 0x1.27cb2faa8592ep1, 0x1.261bcc77658e0p1,
      0x1.24745a4ac9c24p1, 0x1.22d477a6fd3efp1, 0x1.213bc9d04cc82p1, 0x1.1fa9fc2e2d901p1,
      0x1.1e1ebfbe4ae39p1, 0x1.1c99ca971a695p1, 0x1.1b1ad777f2f8fp1, 0x1.19a1a564eebadp1,
      0x1.182df74d21262p1, 0x1.16bf93b9deef5p1, 0x1.1556448602e3dp1, 0x1.13f1d69c4096fp1,
      0x1.129219bbb5d37p1, 0x1.1136e04207043p1, 0x1.0fdffefa69fb8p1, 0x1.0e8d4cf116594p1,
      0x1.0d3ea34aa3d32p1, 0x1.0bf3dd1eed449p1, 0x1.0aacd7571c0c5p1, 0x1.0969708e8a255p1,
      0x1.082988f632e18p1, 0x1.06ed023a72669p1, 0x1.05b3bf6adb37ep1, 0x1.047da4e3ef5c7p1,
      0x1.034a983a902abp1, 0x1.021a8028fc947p1, 0x1.00ed447d3a075p1, 0x1.ff859c118f60bp0,
      0x1.fd360d22fe785p0, 0x1.faebb187122bfp0, 0x1.f8a6604899782p0, 0x1.f665f20c90168p0,
      0x1.f42a40fb74d6dp0, 0x1.f1f328ac25321p0, 0x1.efc086101eca9p0, 0x1.ed9237610a73ap0,
      0x1.eb681c0f76f08p0, 0x1.e94214b2abf09p0, 0x1.e72002f97fe23p0, 0x1.e501c99c1d186p0,
      0x1.e2e74c4ea46f3p0, 0x1.e0d06fb49d219p0, 0x1.debd195522e34p0, 0x1.dcad2f8fc490cp0,
      0x1.daa0999206e6ep0, 0x1.d8973f4d7fba4p0, 0x1.d691096e7f123p0, 0x1.d48de1533c647p0,
      0x1.d28db1037ef20p0, 0x1.d0906328b8f6ep0, 0x1.ce95e3068e037p0, 0x1.cc9e1c73bd690p0,
      0x1.caa8fbd36a2abp0, 0x1.c8b66e0eba617p0, 0x1.c6c6608ec8705p0, 0x1.c4d8c136e0d1dp0,
      0x1.c2ed7e5f07a2dp0, 0x1.c10486cec16a0p0, 0x1.bf1dc9b81ae82p0, 0x1.bd3936b2ec0a2p0,
      0x1.bb56bdb85256ep0, 0x1.b9764f1e5f73dp0, 0x1.b797db93f8928p0, 0x1.b5bb541ce3d04p0,
      0x1.b3e0aa0e00c01p0, 0x1.b207cf09a985cp0, 0x1.b030b4fc3a11bp0, 0x1.ae5b4e18bb338p0,
      0x1.ac878cd5af5cfp0, 0x1.aab563e9ff10ap0, 0x1.a8e4c64a0313fp0, 0x1.a715a724aa9a7p0,
      0x1.a547f9e0bbb8bp0, 0x1.a37bb21a2c85ep0, 0x1.a1b0c39f93696p0, 0x1.9fe7226fad24dp0,
      0x1.9e1ec2b6f7414p0, 0x1.9c5798cd5d92ep0, 0x1.9a919933f99c1p0, 0x1.98ccb892e2a33p0,
      0x1.9708ebb70d5efp0, 0x1.954627903a28bp0, 0x1.9384612ef0afep0, 0x1.91c38dc288349p0,
      0x1.9003a2973b591p0, 0x1.8e44951446a28p0, 0x1.8c865aba10c9dp0, 0x1.8ac8e9205c044p0,
      0x1.890c35f47f72ep0, 0x1.875036f7a7ec7p0, 0x1.8594e1fd1f5bep0, 0x1.83da2ce899f16p0,
      0x1.82200dac88677p0, 0x1.80667a486ea1fp0, 0x1.7ead68c73dee7p0, 0x1.7cf4cf3db22fcp0,
      0x1.7b3ca3c8b140ap0, 0x1.7984dc8babd94p0, 0x1.77cd6faeff44ap0, 0x1.7616535e57320p0,
      0x1.745f7dc70eeddp0, 0x1.72a8e516914c7p0, 0x1.70f27f78b68ecp0, 0x1.6f3c43161f856p0,
      0x1.6d8626128d354p0, 0x1.6bd01e8b343bdp0, 0x1.6a1a22950b2b3p0, 0x1.6864283b13139p0,
      0x1.66ae257c99674p0, 0x1.64f8104b7260dp0, 0x1.6341de8a2b0a4p0, 0x1.618b860a31fc5p0,
      0x1.5fd4fc89f5e39p0, 0x1.5e1e37b2f8cd4p0, 0x1.5c672d17d733fp0, 0x1.5aafd23241b5ap0,
      0x1.58f81c60e8515p0, 0x1.574000e555f79p0, 0x1.558774e1bb2c9p0, 0x1.53ce6d56a6650p0,
      0x1.5214df20a8b5cp0, 0x1.505abef5e5563p0, 0x1.4ea001638a606p0, 0x1.4ce49acb311ddp0,
      0x1.4b287f602415ep0, 0x1.496ba32488f30p0, 0x1.47adf9e66c338p0, 0x1.45ef773cac75ep0,
      0x1.44300e83c30a6p0, 0x1.426fb2da6745fp0, 0x1.40ae571e09e76p0, 0x1.3eebede725a85p0,
      0x1.3d28698561de3p0, 0x1.3b63bbfb83d06p0, 0x1.399dd6fb2b267p0, 0x1.37d6abe05586cp0,
      0x1.360e2baca52d7p0, 0x1.3444470265ea4p0, 0x1.3278ee1f4b933p0, 0x1.30ac10d6e48dap0,
      0x1.2edd9e8cba990p0, 0x1.2d0d862e1b855p0, 0x1.2b3bb62b82edbp0, 0x1.29681c719d71dp0,
      0x1.2792a661dd381p0, 0x1.25bb40ca96bfep0, 0x1.23e1d7de9c322p0, 0x1.2206572c4c6ecp0,
      0x1.2028a9940a0a3p0, 0x1.1e48b93e0d431p0, 0x1.1c666f8f82acfp0, 0x1.1a81b51ee6d8bp0,
      0x1.189a71a78da37p0, 0x1.16b08bfc42020p0, 0x1.14c3e9f8e9143p0, 0x1.12d4707310fc1p0,
      0x1.10e20329515f1p0, 0x1.0eec84b16086fp0, 0x1.0cf3d664bcc83p0, 0x1.0af7d84bc6116p0,
      0x1.08f869071f40fp0, 0x1.06f565b72a014p0, 0x1.04eea9e16a5ffp0, 0x1.02e40f5398f9dp0,
      0x1.00d56e04234eep0, 0x1.fd8537dfa2eb1p-1, 0x1.f956d9e87d7b2p-1, 0x1.f51f654d8f68cp-1,
      0x1.f0de784f0622ap-1, 0x1.ec93abdf982d2p-1, 0x1.e83e9337a6f04p-1, 0x1.e3debb5d2ee02p-1,
      0x1.df73aa9f17656p-1, 0x1.dafce0023b8c8p-1, 0x1.d679d29e41f14p-1, 0x1.d1e9f0e80b74bp-1,
      0x1.cd4c9fe72268fp-1, 0x1.c8a13a5323b66p-1, 0x1.c3e70f9594ef8p-1, 0x1.bf1d62abf8239p-1,
      0x1.ba4368e529f40p-1, 0x1.b558487427a2fp-1, 0x1.b05b16d136ca2p-1, 0x1.ab4ad6e101636p-1,
      0x1.a62676d77cd5fp-1, 0x1.a0eccdca4a731p-1, 0x1.9b9c98e38c54dp-1, 0x1.96347822c1ef0p-1,
      0x1.90b2ea94ecf9ep-1, 0x1.8b1649e7b769fp-1, 0x1.855cc53430a7dp-1, 0x1.7f845ad46f549p-1,
      0x1.798ad10b32a7ep-1, 0x1.736dad346f8adp-1, 0x1.6d2a292000576p-1, 0x1.66bd261a37c44p-1,
      0x1.60231cfd97ef1p-1, 0x1.59580a707ce9cp-1, 0x1.52575621ad379p-1, 0x1.4b1bb363dfeadp-1,
      0x1.439ef8dff9b5ap-1, 0x1.3bd9ec1a2b134p-1, 0x1.33c3fc05791fap-1, 0x1.2b52e3863d885p-1,
      0x1.227a28f7a1afap-1, 0x1.192a69741367dp-1, 0x1.0f5053b025d4ap-1, 0x1.04d32278ebbb4p-1,
      0x1.f32482d4cd5d0p-2, 0x1.dac2f5a747281p-2, 0x1.c004d2f386207p-2, 0x1.a230c2e4cd0cbp-2,
      0x1.801fce82fa71ap-2, 0x1.57cb938443b71p-2, 0x1.250af3c2c5bc6p-2, 0x1.b8d0be3fdf702p-3,
      0.0,
  };

  /** {@code r}: where layer 0's rectangle ends and the tail begins. */
  static final double R = EDGES[1];

  /**
   * {@code ceil(2^24 x_{i+1}/x_i)}: {@code |h|} below it puts the point inside its layer's inner
   * rectangle, and only then (a whole {@code |h|} is below {@code q} exactly when it is below {@code
   * ceil(q)}), so no point of layer 0's rectangle is taken for the tail.
   */
  static final int[] INNER = new int[LAYERS];

  /** {@code x_i/2^24}: a position times it is the point's x, exact but for the product's one rounding. */
  static final double[] SCALE = new double[LAYERS];

  /** {@code f(x_i)}, for the heights of the wedges. */
  private static final double[] HEIGHT = new double[LAYERS + 1];

  static {
    for (int i = 0; i < LAYERS; i++) {
      INNER[i] = (int) Math.ceil(EDGES[i + 1] / EDGES[i] * 0x1p24);
      SCALE[i] = EDGES[i] * 0x1p-24;
    }
    for (int i = 0; i <= LAYERS; i++) {
      HEIGHT[i] = density(EDGES[i]);
    }
  }

  private NormalZiggurat() {}

  /** {@code exp(-x^2/2)}, the normal density without its constant. */
  static double density(double x) {
    return StrictMath.exp(-0.5 * x * x);
  }

  static double edge(int i) {
    return EDGES[i];
  }

  static int layer(int word) {
    return word & LAYER_BITS;
  }

  /** The signed position in the layer: {@code 2*(word >> 8) + 1}, odd, in {@code (-2^24, 2^24)}. */
  static int position(int word) {
    return (word >> 7) | 1;
  }

  /** Whether the word's point lies in its layer's inner rectangle, under the curve: the fast path. */
  static boolean inside(int word) {
    return Math.abs(position(word)) < INNER[layer(word)];
  }

  /** The word's point: the value when it is {@link #inside}, or kept by {@link #underCurve}. */
  static double value(int word) {
    return position(word) * SCALE[layer(word)];
  }

  /** Whether the word fell in layer 0 outside its rectangle: then the value comes from the tail. */
  static boolean inTail(int word) {
    return layer(word) == 0;
  }

  /**
   * Whether a word outside its inner rectangle (not in layer 0) is kept: {@code u} in (0, 1] places a
   * height uniformly in the layer, kept under the curve.
   */
  static boolean underCurve(int word, double u) {
    int near = nearCurve(word, u);
    return near != 0 ? near > 0 : height(word, u) < density(value(word));
  }

  /**
   * {@link #underCurve} decided against {@code Math.exp}, an intrinsic (StrictMath.exp took 30 ns on
   * JDK 17): 1 kept, -1 not, 0 when only {@code StrictMath} can tell. Both exponentials are within 1
   * ulp of the exact one, so a height more than 2^-40 of it away is on the same side of both; only a
   * height nearer than that (about one wedge test in 10^9) is left to {@code StrictMath}.
   */
  static int nearCurve(int word, double u) {
    double height = height(word, u);
    double x = value(word);
    double near = Math.exp(-0.5 * x * x);
    return height < near * (1 - 0x1p-40) ? 1 : height > near * (1 + 0x1p-40) ? -1 : 0;
  }

  /** The height {@code u} in (0, 1] places in the word's layer. */
  private static double height(int word, double u) {
    int i = layer(word);
    return HEIGHT[i] + u * (HEIGHT[i + 1] - HEIGHT[i]);
  }

  /** Marsaglia's tail method: a distance beyond {@code r}, {@code -ln(u)/r} for {@code u} in (0, 1]... */
  static double tailDistance(double u) {
    return -StrictMath.log(u) / R;
  }

  /** ...kept when {@code -2 ln(u) > distance^2} for another {@code u} in (0, 1]; else draw both again. */
  static boolean tailKeeps(double distance, double u) {
    double y = -StrictMath.log(u);
    return y + y > distance * distance;
  }
}
