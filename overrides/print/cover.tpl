<h1>{{ config.site_name }}</h1>
<p class="print-edition-description">{{ config.site_description }}</p>
<p class="print-edition-date"></p>
<div class="print-edition-versions"></div>
