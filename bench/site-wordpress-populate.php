<?php
// Fills a fresh WordPress (Debian's package, copied to a temporary folder by bench/site-wordpress.mjs)
// with a blog like the one of issue 21: 27 posts with images (srcset sizes made by WordPress),
// 8 pages (some nested), categories and tags, threaded comments, search and archives blocks, the
// Twenty Twenty-Three theme and its web fonts. Usage: php site-wordpress-populate.php WP_DIR URL
// then: php site-wordpress-populate.php WP_DIR URL --permalinks STRUCTURE ('' for "Plain").
$bench_dir = $argv[1];
$bench_url = $argv[2];
$_SERVER['HTTP_HOST'] = parse_url($bench_url, PHP_URL_HOST) . ':' . parse_url($bench_url, PHP_URL_PORT);
define('WP_INSTALLING', true);
require $bench_dir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/image.php';

if (($argv[3] ?? '') === '--permalinks') {
    update_option('permalink_structure', $argv[4] ?? '');
    flush_rewrite_rules();
    echo "permalinks: '" . get_option('permalink_structure') . "'\n";
    exit(0);
}

wp_install('Bench Blog', 'admin', 'admin@example.test', true, '', 'bench-password');
update_option('siteurl', $bench_url);
update_option('home', $bench_url);
switch_theme('twentytwentythree');
update_option('thread_comments', 1);
update_option('thread_comments_depth', 5);
update_option('posts_per_page', 5);
update_option('default_comment_status', 'open');
mt_srand(21);

$words = explode(' ', 'maintenance outage failover origin copy static bucket visitor page image garden kettle river mountain coffee bicycle morning letter window harbor lantern orchard');
function sentence($words, $n) { $out = []; for ($i = 0; $i < $n; $i++) $out[] = $words[mt_rand(0, count($words) - 1)]; return ucfirst(implode(' ', $out)) . '.'; }

// Six photographs (GD), each cut by WordPress into its sizes: the srcset candidates.
$uploads = wp_upload_dir();
$images = [];
for ($i = 0; $i < 6; $i++) {
    $im = imagecreatetruecolor(1600, 1067);
    for ($y = 0; $y < 1067; $y += 8) imagefilledrectangle($im, 0, $y, 1599, $y + 7, imagecolorallocate($im, (40 * $i + $y) % 256, ($y / 5) % 256, (200 - 30 * $i) % 256));
    $file = $uploads['path'] . "/photo-$i.jpg";
    imagejpeg($im, $file, 80);
    $id = wp_insert_attachment(['post_mime_type' => 'image/jpeg', 'post_title' => "Photo $i", 'post_status' => 'inherit'], $file);
    wp_update_attachment_metadata($id, wp_generate_attachment_metadata($id, $file));
    $images[] = $id;
}

$cats = [];
foreach (['News', 'Guides', 'Stories', 'Notes'] as $name) $cats[] = wp_insert_term($name, 'category')['term_id'];

for ($p = 1; $p <= 27; $p++) {
    $img = $images[$p % 6];
    $src = wp_get_attachment_image_url($img, 'large');
    $content = "<!-- wp:paragraph --><p>" . sentence($words, 30) . "</p><!-- /wp:paragraph -->\n"
        . "<!-- wp:image {\"id\":$img,\"sizeSlug\":\"large\"} --><figure class=\"wp-block-image size-large\"><img src=\"$src\" alt=\"\" class=\"wp-image-$img\"/></figure><!-- /wp:image -->\n"
        . "<!-- wp:paragraph --><p>" . sentence($words, 40) . "</p><!-- /wp:paragraph -->";
    $id = wp_insert_post([
        'post_title' => "Post $p: " . sentence($words, 4),
        'post_content' => $content,
        'post_status' => 'publish',
        'post_date' => date('Y-m-d H:i:s', strtotime('2024-01-01') + $p * 86400 * 11),
        'post_category' => [$cats[$p % 4]],
        'tags_input' => ['tag-' . ($p % 5)],
    ]);
    set_post_thumbnail($id, $img);
    if ($p % 3 !== 0) {
        $parent = 0;
        for ($c = 0; $c < 3; $c++) {
            $parent = wp_insert_comment(['comment_post_ID' => $id, 'comment_author' => "Reader $c", 'comment_author_email' => "r$c@example.test", 'comment_content' => sentence($words, 12), 'comment_approved' => 1, 'comment_parent' => $c === 2 ? $parent : 0]);
        }
    }
}

$about = 0;
foreach (['About', 'Contact', 'Team', 'History', 'Press', 'Privacy', 'Archive', 'Search the blog'] as $i => $title) {
    $content = "<!-- wp:paragraph --><p>" . sentence($words, 25) . "</p><!-- /wp:paragraph -->";
    if ($title === 'Archive') $content .= "\n<!-- wp:archives /-->\n<!-- wp:categories /-->\n<!-- wp:tag-cloud /-->";
    if ($title === 'Search the blog') $content .= "\n<!-- wp:search {\"label\":\"Search\",\"buttonText\":\"Search\"} /-->\n<!-- wp:latest-posts /-->";
    $id = wp_insert_post(['post_type' => 'page', 'post_title' => $title, 'post_content' => $content, 'post_status' => 'publish', 'post_parent' => in_array($title, ['Team', 'History']) ? $about : 0, 'menu_order' => $i]);
    if ($title === 'About') $about = $id;
}
update_option('permalink_structure', '');
echo "populated: 27 posts, 8 pages, 6 images\n";
